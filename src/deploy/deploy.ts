import * as core from '@actions/core'
import type { TokenUser } from '../auth/verify.js'
import type { CliSpec } from '../clis.js'
import { ActionError, errorMessage } from '../errors.js'
import { HttpError } from '../net/failures.js'
import type { Network } from '../net/network.js'
import { apiReader, record, text, type ApiReader } from '../project/api.js'
import { projectNotAccessible } from '../project/messages.js'
import { findEnvironment, readEnvironments, readPrimaryUrl } from '../project/model.js'
import { printable } from '../text.js'
import { createDeployment, githubFromEnvironment, type GithubDeployment } from './github.js'
import type { DeployInputs } from './inputs.js'
import { readLogTail } from './log.js'
import { failure, setDeployOutputs, showLog, writeDeploySummary, type Facts } from './report.js'
import { waitForDeploy, type Outcome } from './wait.js'

/*
 * `wait-for-deployment`: waits for the environment's deploy of the
 * workflow's commit, reports it (outputs, summary, GitHub Deployment), and
 * fails with what to do when it did not succeed. Runs with the access token
 * of the token exchange, before the project check reads the fresh URL.
 */

export interface DeployContext {
  readonly cli: CliSpec
  readonly apiUrl: string
  /** The exchanged access token (masked): in the platform's requests only. */
  readonly accessToken: string
  readonly user: TokenUser
  readonly project: string
  /** The `environment` input: an ID or a machine name. */
  readonly environment: string
  readonly deploy: DeployInputs
  /** For `github-deployment` only. */
  readonly githubToken: string
}

/** Seconds between polls; SETUP_UPSUN_CLI_POLL_MS shortens it for the test suites. */
const POLL_MS =
  Number(process.env.SETUP_UPSUN_CLI_POLL_MS) > 0
    ? Number(process.env.SETUP_UPSUN_CLI_POLL_MS)
    : 5000
const LOG_LINES = 30
const CONSOLES: Record<string, string> = {
  upsun: 'https://console.upsun.com',
  platform: 'https://console.platform.sh'
}

export async function awaitDeployment(ctx: DeployContext, network: Network = {}): Promise<void> {
  const api = apiReader(ctx.apiUrl, ctx.accessToken, network)
  const { organization, environment, type } = await locate(ctx, api)
  const commit = ctx.deploy.commit
  core.info(
    `Waiting up to ${Math.round(ctx.deploy.timeoutMs / 60_000) || 1} min for the deploy of ${commit} (${ctx.deploy.commitFrom}) to environment ${printable(environment)}.`
  )
  const github = ctx.deploy.githubDeployment
    ? await startGithubDeployment(ctx, environment, type, network)
    : undefined
  const started = Date.now()
  let outcome: Outcome
  try {
    outcome = await waitForDeploy({
      api,
      project: ctx.project,
      environment,
      commit,
      timeoutMs: ctx.deploy.timeoutMs,
      pollMs: POLL_MS,
      progress: (line) => core.info(line),
      sleep: network.sleep
    })
  } catch (error) {
    await github
      ?.status('error', { description: 'Could not follow the deploy', logUrl: runUrl() })
      .catch(() => undefined)
    throw error
  }
  const activity = 'activity' in outcome ? outcome.activity : undefined
  const link =
    activity && CONSOLES[ctx.cli.binary] && organization
      ? `${CONSOLES[ctx.cli.binary]}/${organization}/${ctx.project}/-/log/${encodeURIComponent(activity.id)}`
      : ''
  const url = outcome.kind === 'deployed' ? await primaryUrl(api, ctx.project, environment) : ''
  const facts: Facts = {
    cli: ctx.cli,
    project: ctx.project,
    environment,
    commit,
    outcome,
    url,
    waitedMs: Date.now() - started,
    timeoutMs: ctx.deploy.timeoutMs,
    consoleLink: link
  }
  setDeployOutputs(facts)
  await writeDeploySummary(facts)
  if (outcome.kind === 'deployed') {
    core.info(
      `Deployed ${commit} to ${printable(environment)}${activity ? ` (activity ${printable(activity.id)})` : ''}: ${printable(url) || 'no primary URL'}.`
    )
    await github?.status('success', {
      description: `Deployed to ${environment}`,
      environmentUrl: url,
      logUrl: link || runUrl()
    })
    return
  }
  if (activity && ['failed', 'hook-failed', 'cancelled'].includes(outcome.kind)) {
    const tail = await readLogTail(
      {
        apiUrl: ctx.apiUrl,
        accessToken: ctx.accessToken,
        href: activity.logHref,
        fallbackPath: `/projects/${encodeURIComponent(ctx.project)}/activities/${encodeURIComponent(activity.id)}/log`
      },
      LOG_LINES,
      { ...network, pauseMs: POLL_MS }
    )
    await showLog(activity, tail)
  }
  const error = failure(facts)
  try {
    await github?.status('failure', {
      description: `Deploy to ${environment}: ${outcome.kind}`,
      logUrl: link || runUrl()
    })
  } catch (also) {
    throw new ActionError(`${error.message}\nAlso: ${errorMessage(also)}`)
  }
  throw error
}

/**
 * The environment's ID (the input may be its machine name; it may not exist
 * yet: a pushed branch reaches the platform later), its type, and the
 * project's organization for console links. Checks access on the way.
 */
async function locate(
  ctx: DeployContext,
  api: ApiReader
): Promise<{ organization: string; environment: string; type: string }> {
  const base = `/projects/${encodeURIComponent(ctx.project)}`
  try {
    const [project, environments] = await Promise.all([
      api.get(base, `project ${ctx.project}`),
      api.get(`${base}/environments`, `the environments of ${ctx.project}`, { maxBytes: 32 << 20 })
    ])
    const found = findEnvironment(readEnvironments(environments), ctx.environment)
    if (!found)
      core.info(`Environment ${printable(ctx.environment)} does not exist yet; waiting for it.`)
    return {
      organization: encodeURIComponent(text(record(project).organization)),
      environment: found?.id ?? ctx.environment,
      type: found?.type ?? 'development'
    }
  } catch (error) {
    if (error instanceof HttpError && (error.status === 403 || error.status === 404))
      throw projectNotAccessible(ctx.cli, ctx.user, ctx.project, error.status)
    throw error
  }
}

async function startGithubDeployment(
  ctx: DeployContext,
  environment: string,
  type: string,
  network: Network
): Promise<GithubDeployment> {
  const deployment = await createDeployment(
    {
      ...githubFromEnvironment(),
      token: ctx.githubToken,
      commit: ctx.deploy.commit,
      environment,
      environmentType: type,
      description: `${ctx.cli.title.replace(/ CLI$/, '')} ${ctx.project}/${environment}`
    },
    network
  )
  await deployment.status('in_progress', {
    description: 'Waiting for the deploy',
    logUrl: runUrl()
  })
  core.info(
    `GitHub deployment ${deployment.id} for environment ${printable(environment)}: in progress.`
  )
  return deployment
}

/** The environment's primary URL after the deploy. */
async function primaryUrl(api: ApiReader, project: string, environment: string): Promise<string> {
  const path = `/projects/${encodeURIComponent(project)}/environments/${encodeURIComponent(environment)}/deployments/current`
  return readPrimaryUrl(await api.get(path, `the current deployment of ${environment}`))
}

/** This workflow run's page. */
function runUrl(): string {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = process.env
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : ''
}
