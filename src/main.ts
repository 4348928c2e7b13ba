import * as path from 'node:path'
import * as core from '@actions/core'
import { homes, openCliSession } from './auth/cliFiles.js'
import { openCliTmp } from './auth/cliTmp.js'
import { acceptToken, missingTokenMessage } from './auth/token.js'
import { untrustedCodeWarning } from './auth/untrustedCode.js'
import { refuseUserConfig } from './auth/userConfig.js'
import { verifyToken, type TokenUser } from './auth/verify.js'
import { forgetJobSecrets } from './childEnv.js'
import { ciSettings, cliEnv, cliVar, endpointVariables } from './clis.js'
import { ActionError, InputError, asError, errorMessage } from './errors.js'
import { describeInputs, readInputs, type ActionInputs } from './inputs.js'
import { install, type Installed } from './install/install.js'
import { resolveTarget, type Target } from './install/target.js'
import { bindProject, type CheckedOnline } from './project/bind.js'
import { shutdown } from './shutdown.js'
import type { SshCert } from './ssh/load.js'
import { checkSshCertVersion } from './ssh/requirements.js'
import { State, saveState, type CliSessionState } from './state.js'
import { writeSummary } from './summary.js'
import { printable } from './text.js'

/**
 * The main step, start to finish:
 *   read and check every input → mask the token and check it offline →
 *   refuse a CLI user config an earlier job may have left → give the job
 *   its own unpack directory and CLI session (post removes both) →
 *   install the CLI (tool cache, or download + verify) while the token is
 *   checked online, then the deploy to wait for (if asked) and the project
 *   with it → load the SSH certificate if asked → export what later steps
 *   need (session id included) →
 *   bind later steps to the project → outputs and summary.
 */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs()
    forgetJobSecrets()
    saveState(State.Cleanup, inputs.cleanup)
    // github.token is masked by the runner; a personal token passed here may not be.
    if (inputs.githubToken) core.setSecret(inputs.githubToken)
    const { token, fromEnv } = acceptToken(inputs.token, inputs.cli)
    core.debug(describeInputs(inputs))
    if (inputs.sshCert && !token) throw new InputError(missingTokenMessage('`ssh-cert: true`'))
    if (inputs.deploy.wait && !token)
      throw new InputError(missingTokenMessage('`wait-for-deployment: true`'))
    if (inputs.sshCert && inputs.version.kind === 'exact')
      checkSshCertVersion(inputs.cli, inputs.version.version)
    guardDebug(inputs)
    if (token) warnIfUntrustedCodeMayFollow(inputs)
    await refuseUserConfig(inputs.cli, path.join(homes(inputs.cli).home, inputs.cli.userDir))
    const cliTmp = openJobCliTmp(inputs)
    const session = token ? await openSession(inputs, token) : undefined
    const target = resolveTarget()
    if (target.emulationWarning) core.warning(target.emulationWarning)
    if (!token)
      core.notice(`No API token given: ${inputs.cli.title} is installed but not authenticated.`)

    const [installed, online] = await installWhileCheckingToken(inputs, target, token)
    if (inputs.sshCert) checkSshCertVersion(inputs.cli, installed.version)
    const later = variablesForLaterSteps(inputs, fromEnv ? '' : token, session, cliTmp)
    // Loaded before anything is exported, so that a refused certificate exports nothing.
    const cert =
      inputs.sshCert && session ? await loadCertificate(inputs, installed, token, later) : undefined
    exportForLaterSteps(installed, later)
    bindProject(inputs, online, token ? 'verify-token is false' : 'no API token to check it with')
    setOutputs(installed, online?.user, cert)
    await writeSummary({
      inputs,
      installed,
      user: online?.user,
      project: online?.project,
      authenticated: token !== '',
      sshCertExpiresAt: cert?.expiresAt
    })
  } catch (error) {
    core.setFailed(`setup-upsun-cli failed: ${errorMessage(error)}`)
  } finally {
    await shutdown()
  }
}

/**
 * Gives the job a CLI session of its own and saves what post needs to remove
 * it (before any CLI run can write to it).
 */
async function openSession(inputs: ActionInputs, token: string): Promise<CliSessionState> {
  const userDir = path.join(homes(inputs.cli).home, inputs.cli.userDir)
  const session = await openCliSession(inputs.cli, userDir, token)
  saveState(State.CliSession, session)
  const name = cliVar(inputs.cli, 'SESSION_ID')
  core.info(
    session.chosenByWorkflow
      ? `CLI session: ${session.sessionId} (set by the workflow in ${name}).`
      : `CLI session: ${session.sessionId}, this job's own (${name}); the post step removes it.`
  )
  return session
}

/**
 * The job's own directory for what the CLI unpacks and runs (auth/cliTmp.ts
 * says why); post removes it.
 */
function openJobCliTmp(inputs: ActionInputs): string | undefined {
  const tmp = openCliTmp(inputs.cli)
  if (!tmp) return undefined
  saveState(State.CliTmp, tmp.dir)
  if (tmp.workflowValue) {
    core.warning(
      `${tmp.variable} is set by the workflow (${printable(tmp.workflowValue)}). This action's own CLI runs unpack into a fresh directory of the job, ` +
        `but later steps that get the workflow's value run whatever an earlier job left there. Remove ${tmp.variable} from the workflow.`
    )
  }
  return tmp.dir
}

/**
 * Installs the CLI while the token is checked online (and then the project,
 * with the access token the exchange gave). Both are awaited to the end even
 * if one fails early (allSettled, not all), so that no download or retry
 * carries on after the step has failed; every failure is reported. The
 * token's result is logged after both, so each story reads in one piece.
 */
async function installWhileCheckingToken(
  inputs: ActionInputs,
  target: Target,
  token: string
): Promise<[Installed, CheckedOnline | undefined]> {
  const installing = install(inputs, target)
  const [installed, user] = await Promise.allSettled([
    installing,
    token && inputs.verifyToken
      ? checkOnline(inputs, token, installing)
      : Promise.resolve(undefined)
  ])
  if (installed.status === 'rejected' || user.status === 'rejected') {
    const reasons: unknown[] = [user, installed].flatMap((r) =>
      r.status === 'rejected' ? [r.reason as unknown] : []
    )
    throw reasons.length === 1
      ? asError(reasons[0])
      : new ActionError(reasons.map(errorMessage).join('\nAlso: '))
  }
  if (user.value) {
    const { email, id } = user.value.user
    core.info(`Authenticated as ${printable(email) || '(no email)'} (user id ${printable(id)}).`)
  } else if (token) core.info('verify-token is false: the token was not checked online.')
  return [installed.value, user.value]
}

/**
 * The token exchange, then (when `project` is set) the deploy to wait for, if
 * asked, and the project, with its access token.
 */
async function checkOnline(
  inputs: ActionInputs,
  token: string,
  installing: Promise<Installed>
): Promise<CheckedOnline> {
  const { cli, authUrl, apiUrl, project, environment } = inputs
  const { user, accessToken } = await verifyToken({ cli, token, authUrl, apiUrl })
  if (!project) return { user }
  if (inputs.deploy.wait) await waitForDeployment(inputs, user, accessToken, installing)
  const { checkProject } = await import('./project/check.js')
  return {
    user,
    project: await checkProject({ cli, apiUrl, accessToken, user, projectId: project, environment })
  }
}

/**
 * `wait-for-deployment`, once the install is over (its log then reads in one
 * piece, and a failed install waits for nothing); loaded only when asked for.
 */
async function waitForDeployment(
  inputs: ActionInputs,
  user: TokenUser,
  accessToken: string,
  installing: Promise<Installed>
): Promise<void> {
  if (!(await installing.then(() => true).catch(() => false))) return
  const { awaitDeployment } = await import('./deploy/deploy.js')
  const { cli, apiUrl, project, environment, deploy, githubToken } = inputs
  await awaitDeployment({
    cli,
    apiUrl,
    accessToken,
    user,
    project,
    environment,
    deploy,
    githubToken
  })
}

/**
 * Runs the CLI's ssh-cert:load in the job's session, with what later steps
 * will get (endpoints, session id) and the token (the module is loaded only
 * when asked for).
 */
async function loadCertificate(
  inputs: ActionInputs,
  installed: Installed,
  token: string,
  later: Record<string, string>
): Promise<SshCert> {
  return core.group('Loading the SSH certificate', async () =>
    (await import('./ssh/load.js')).loadSshCert({
      cli: inputs.cli,
      binaryPath: installed.executablePath,
      version: installed.version,
      env: { ...cliEnv(inputs.cli), ...later, [cliVar(inputs.cli, 'TOKEN')]: token },
      ...homes(inputs.cli)
    })
  )
}

/**
 * The CLI's DEBUG switch makes it print HTTP traffic, tokens included. The
 * action never passes it to its own CLI runs (see cliEnv) and says so.
 */
function guardDebug(inputs: ActionInputs): void {
  const name = cliVar(inputs.cli, 'DEBUG')
  if (process.env[name]) {
    core.warning(
      `${name} is set. With it, ${inputs.cli.binary} prints HTTP requests including tokens into the log of every later step. ` +
        'This action leaves it out of its own CLI runs; remove it from the workflow.'
    )
  }
}

/** pull_request_target, or workflow_run from a fork: later steps may run untrusted code. */
function warnIfUntrustedCodeMayFollow(inputs: ActionInputs): void {
  const warning = untrustedCodeWarning(cliVar(inputs.cli, 'TOKEN'))
  if (warning) core.warning(warning)
}

/** The CLI's variables for later steps: session, unpack directory, CI settings, endpoints, token. */
function variablesForLaterSteps(
  inputs: ActionInputs,
  token: string,
  session?: CliSessionState,
  cliTmp?: string
): Record<string, string> {
  const { cli } = inputs
  const vars: Record<string, string> = {}
  // Later CLI runs (and the certificate refresh inside ssh and git) use the job's session.
  if (session) vars[cliVar(cli, 'SESSION_ID')] = session.sessionId
  if (cliTmp) vars[cliVar(cli, 'TMP')] = cliTmp
  Object.assign(vars, ciSettings(cli))
  // Every endpoint, defaults included, so that later CLI runs talk to the
  // platform the token was checked against whatever a config file says.
  Object.assign(vars, endpointVariables(cli, inputs.authUrl, inputs.apiUrl))
  if (token) vars[cliVar(cli, 'TOKEN')] = token
  return vars
}

function exportForLaterSteps(installed: Installed, vars: Record<string, string>): void {
  core.addPath(installed.dir)
  for (const [name, value] of Object.entries(vars)) core.exportVariable(name, value)
}

function setOutputs(installed: Installed, user?: TokenUser, cert?: SshCert): void {
  core.setOutput('version', installed.version)
  core.setOutput('cli-path', installed.executablePath)
  core.setOutput('cache-hit', String(installed.cacheHit))
  // From the server: a later `run: echo "${{ … }}"` must not print a command either.
  core.setOutput('user-id', printable(user?.id ?? ''))
  core.setOutput('user-email', printable(user?.email ?? ''))
  core.setOutput('ssh-cert-expires-at', cert?.expiresAt ?? '')
  core.setOutput('ssh-cert-path', cert?.path ?? '')
}
