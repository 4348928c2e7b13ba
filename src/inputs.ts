import * as core from '@actions/core'
import { CLIS, CLI_NAMES, type CliSpec } from './clis.js'
import { parseDeployInputs, type DeployInputs } from './deploy/inputs.js'
import { InputError } from './errors.js'
import { urlRefusal } from './net/network.js'
import { parseEnvironment, parseProjectId } from './project/ids.js'
import { firstControlCharacter } from './text.js'

/** What the workflow asked for, parsed and checked before any side effect. */
export interface ActionInputs {
  readonly cli: CliSpec
  readonly version: VersionSpec
  /** Empty when the default release channel is to be chosen per version. */
  readonly releasesUrl: string
  readonly githubToken: string
  /** Raw token text as given (trimmed); validated and masked by auth.ts. */
  readonly token: string
  readonly verifyToken: boolean
  /** Token endpoint base; the input's value or the CLI's default. */
  readonly authUrl: string
  readonly apiUrl: string
  readonly sshCert: boolean
  readonly cleanup: boolean
  /** A project ID, or '' (src/project/ids.ts). */
  readonly project: string
  /** An environment ID or machine name, or ''; never set without `project`. */
  readonly environment: string
  /** `wait-for-deployment` and the inputs that go with it (src/deploy/). */
  readonly deploy: DeployInputs
}

export type VersionSpec =
  | { readonly kind: 'latest' }
  | { readonly kind: 'exact'; readonly version: string }
  | { readonly kind: 'range'; readonly range: string }

/** Every input the action reads; a test checks this against action.yml. */
export const INPUT_NAMES = [
  'cli',
  'version',
  'releases-url',
  'github-token',
  'token',
  'verify-token',
  'auth-url',
  'api-url',
  'ssh-cert',
  'cleanup',
  'project',
  'environment',
  'wait-for-deployment',
  'deployment-commit',
  'wait-timeout',
  'github-deployment'
] as const

// semver.org's grammar for a version (no build metadata), so that parsing an
// exact version needs no semver library on a cache hit's path.
const NUMBER = '(?:0|[1-9]\\d*)'
const PRE_ID = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)'
const EXACT = new RegExp(`^v?(${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-${PRE_ID}(?:\\.${PRE_ID})*)?)$`)
// One comparator of a range: `5`, `5.x`, `^5.10`, `>=5.9.0`, `~5.10.0-alpha1`.
const PART = '(?:0|[1-9]\\d*|[xX*])'
const COMPARATOR = new RegExp(
  `^(?:[<>]=?|=|~|\\^)?v?${PART}(?:\\.${PART}){0,2}(?:-[0-9A-Za-z.-]+)?$`
)

/** `A B`, `A - B` and `A || B` made of comparators; nothing else (`;`, `/`, `..`). */
function isRangeShaped(value: string): boolean {
  if (/[^\S ]/.test(value)) return false // tabs, line breaks: not from a hand-written range
  return value.split(/\s*\|\|\s*/).every((set) => {
    const tokens = set.trim().split(/\s+/)
    return tokens.every(
      (t, i) => COMPARATOR.test(t) || (t === '-' && i > 0 && i < tokens.length - 1)
    )
  })
}

/** Parses `latest`, `5.11.1`, `v5.11.1` or a semver range like `5.x`. */
export function parseVersion(raw: string): VersionSpec {
  const value = raw.trim()
  if (value === '' || value.toLowerCase() === 'latest') return { kind: 'latest' }
  const exact = EXACT.exec(value)
  if (exact) return { kind: 'exact', version: exact[1] }
  // A range's shape, checked here without the semver library; semver checks
  // the full grammar when the range is resolved (lookup.ts), before any request.
  if (value.length <= 100 && isRangeShaped(value)) return { kind: 'range', range: value }
  throw badVersion(value)
}

/** The error for a `version` that is none of latest, a version or a range. */
export function badVersion(value: string): InputError {
  return new InputError(
    `Input \`version\` must be \`latest\`, an exact version such as 5.11.1 or v5.11.1, ` +
      `or a semver range such as 5.x or ^5.10; got ${quote(value)}.`
  )
}

/**
 * A boolean input, read by core (YAML 1.2 core schema, as the runner); empty
 * means the default. Core's own error names neither the value nor the fix.
 */
function booleanInput(name: string, fallback: boolean): boolean {
  const value = core.getInput(name)
  if (value === '') return fallback
  try {
    return core.getBooleanInput(name)
  } catch {
    throw new InputError(`Input \`${name}\` must be true or false; got ${quote(value)}.`)
  }
}

/** Parses the `cli` input against the table of known CLIs. */
export function parseCli(raw: string): CliSpec {
  const value = raw.trim().toLowerCase() || 'upsun'
  if (Object.hasOwn(CLIS, value)) return CLIS[value as keyof typeof CLIS]
  throw new InputError(
    `Input \`cli\` must be one of ${CLI_NAMES.join(', ')}; got ${quote(raw.trim())}.`
  )
}

export { isLoopbackHost } from './net/network.js'

/**
 * Parses an endpoint that receives the token: https anywhere, http only on
 * loopback (local testing). Returns it without a trailing slash.
 */
export function parseSecureUrl(name: string, raw: string, fallback: string): string {
  const value = raw.trim() || fallback
  const why = urlRefusal(parseUrl(name, value))
  if (why) throw new InputError(`Input \`${name}\` must use https; got ${quote(value)}. ${why}`)
  return value.replace(/\/+$/, '')
}

/**
 * Parses the optional `releases-url`: the same rule as the token's endpoints,
 * since the CLI downloaded from it runs with the token.
 */
export function parseReleasesUrl(raw: string): string {
  const value = raw.trim()
  if (value === '') return ''
  return parseSecureUrl('releases-url', value, '')
}

function parseUrl(name: string, value: string): URL {
  refuseControlCharacters(name, value)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(`Input \`${name}\` must be an http(s) URL; got ${quote(value)}.`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`Input \`${name}\` must be an http(s) URL; got ${quote(value)}.`)
  }
  if (url.username || url.password) {
    throw new InputError(`Input \`${name}\` must not contain credentials.`)
  }
  return url
}

/**
 * URL and name inputs hold no control character. Checked on the raw text:
 * the URL parser drops tabs and line breaks silently, so
 * `https://mirror\n::set-output …` would pass it and reach the log whole.
 * (Whitespace around a value is trimmed first, as for every input.)
 */
export function refuseControlCharacters(name: string, value: string): void {
  const found = firstControlCharacter(value)
  if (found) {
    throw new InputError(
      `Input \`${name}\` contains ${found.name} at character ${found.index + 1}; ` +
        'a URL or name never holds control characters. Check the value (or the variable or secret it comes from) and write it on one line.'
    )
  }
}

/** Reads a URL or name input, refusing control characters inside it. */
function plainInput(name: string): string {
  const value = core.getInput(name)
  refuseControlCharacters(name, value)
  return value
}

/** Quotes a non-secret value for an error message, bounded in length. */
function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value
  return JSON.stringify(shown)
}

/** Reads every input once, up front. Does not mask or use the token. */
export function readInputs(): ActionInputs {
  const cli = parseCli(plainInput('cli'))
  const project = parseProjectId(plainInput('project'))
  const environment = parseEnvironment(plainInput('environment'), project, cli.binary)
  const verifyToken = booleanInput('verify-token', true)
  const githubToken = core.getInput('github-token')
  return Object.freeze({
    cli,
    version: parseVersion(plainInput('version')),
    releasesUrl: parseReleasesUrl(plainInput('releases-url')),
    githubToken,
    token: core.getInput('token'),
    verifyToken,
    authUrl: parseSecureUrl('auth-url', plainInput('auth-url'), cli.defaultAuthUrl),
    apiUrl: parseSecureUrl('api-url', plainInput('api-url'), cli.defaultApiUrl),
    sshCert: booleanInput('ssh-cert', false),
    cleanup: booleanInput('cleanup', true),
    project,
    environment,
    deploy: parseDeployInputs(
      {
        wait: booleanInput('wait-for-deployment', false),
        commit: plainInput('deployment-commit'),
        timeout: plainInput('wait-timeout'),
        githubDeployment: booleanInput('github-deployment', false)
      },
      { project, environment, verifyToken, githubToken }
    )
  })
}

/** What was read, for a debug line: never the tokens (checked: no control characters, no credentials in URLs). */
export function describeInputs(inputs: ActionInputs): string {
  return (
    `Inputs: cli ${inputs.cli.binary}, version ${JSON.stringify(inputs.version)}, releases-url ${inputs.releasesUrl || '(default)'}, ` +
    `auth-url ${inputs.authUrl}, api-url ${inputs.apiUrl}, project ${inputs.project || '(none)'}, ` +
    `environment ${inputs.environment || '(none)'}, token ${inputs.token ? 'given' : 'not given'}.`
  )
}
