import * as core from '@actions/core'
import { cliVar, type CliSpec } from '../clis.js'
import { InputError } from '../errors.js'

const MIN_LENGTH = 8
const MAX_LENGTH = 1024
const EMPTY_HINT =
  "If this run comes from a fork's pull request or from Dependabot, repository secrets are empty by design: " +
  'run the job on push, or give Dependabot its own secret.'

/**
 * Picks the token (the input, else `{P}TOKEN` from the environment), masks
 * it before anything else touches it, then checks it offline. Returns '' for
 * install-only runs. Error messages name the input, never the value.
 */
export function acceptToken(input: string, cli: CliSpec): { token: string; fromEnv: boolean } {
  const envName = cliVar(cli, 'TOKEN')
  const fromEnv = input === '' && (process.env[envName] ?? '').trim() !== ''
  const token = fromEnv ? (process.env[envName] ?? '').trim() : input
  const source = fromEnv ? `The ${envName} environment variable` : 'Input `token`'
  if (token === '') return { token: '', fromEnv: false }
  // Too short to be a token, and too short to mask without blanking the log.
  if (token.length < MIN_LENGTH) {
    throw new InputError(
      `${source} is too short to be an API token (${token.length} characters). ${EMPTY_HINT}`
    )
  }
  core.setSecret(token)
  // The runner masks line by line; mask each line too, in case one is refused below.
  for (const line of token.split(/[\r\n]+/))
    if (line.length >= MIN_LENGTH && line !== token) core.setSecret(line)
  checkTokenText(token, source)
  return { token, fromEnv }
}

/** Offline checks: printable ASCII without spaces, and a sane length. */
export function checkTokenText(token: string, source = 'Input `token`'): void {
  if (/[\r\n]/.test(token)) {
    throw new InputError(`${source} contains a line break. Paste the API token alone, on one line.`)
  }
  if (/\s/.test(token))
    throw new InputError(`${source} contains whitespace. An API token is one word.`)
  if (/[^\x21-\x7e]/.test(token)) {
    throw new InputError(
      `${source} contains control or non-ASCII characters. Copy the API token again.`
    )
  }
  if (token.length > MAX_LENGTH) {
    throw new InputError(
      `${source} is ${token.length} characters long; an API token is far shorter. Check the secret.`
    )
  }
}

/** The message for an empty token where one is required. */
export function missingTokenMessage(reason: string): string {
  return `Input \`token\` is empty, but ${reason} needs an API token. ${EMPTY_HINT}`
}
