import { childEnv } from './childEnv.js'

/**
 * Everything that differs between the three CLIs lives in this one table, so
 * that no other module branches on the CLI's name.
 */

export type CliName = 'upsun' | 'platform' | 'webpaas'

/**
 * Where a CLI is published: the Go builds on GitHub Releases (upsun/cli, and
 * platformsh/cli for 5.9.0 and earlier), or the legacy PHP phar listed in a
 * site's manifest.json (OVHcloud Web PaaS).
 */
export type Channel =
  | { readonly kind: 'github-releases' }
  | { readonly kind: 'phar-manifest'; readonly defaultUrl: string }

export interface CliSpec {
  /** The value of the `cli` input. */
  readonly name: CliName
  /** Human name for logs and the job summary. */
  readonly title: string
  /** Executable name (without `.exe`), also the prefix of release assets. */
  readonly binary: string
  /** Prefix of every variable the CLI reads, e.g. `UPSUN_CLI_`. */
  readonly envPrefix: string
  /** OAuth client id the CLI sends when it exchanges an API token. */
  readonly oauthClientId: string
  /** Directory under HOME where the CLI keeps sessions and SSH files. */
  readonly userDir: string
  readonly defaultAuthUrl: string
  readonly defaultApiUrl: string
  readonly channel: Channel
  /** A caveat for the README and the log, if any. */
  readonly sshCaveat?: string
}

export const CLIS: Readonly<Record<CliName, CliSpec>> = {
  upsun: {
    name: 'upsun',
    title: 'Upsun CLI',
    binary: 'upsun',
    envPrefix: 'UPSUN_CLI_',
    oauthClientId: 'upsun-cli',
    userDir: '.upsun-cli',
    defaultAuthUrl: 'https://auth.upsun.com',
    defaultApiUrl: 'https://api.upsun.com',
    channel: { kind: 'github-releases' }
  },
  platform: {
    name: 'platform',
    title: 'Platform.sh CLI',
    binary: 'platform',
    envPrefix: 'PLATFORMSH_CLI_',
    oauthClientId: 'platform-cli',
    userDir: '.platformsh',
    // The platform binary moved to the Upsun hosts in 5.5.0.
    defaultAuthUrl: 'https://auth.upsun.com',
    defaultApiUrl: 'https://api.upsun.com',
    channel: { kind: 'github-releases' }
  },
  webpaas: {
    name: 'webpaas',
    title: 'OVHcloud Web PaaS CLI',
    binary: 'webpaas',
    envPrefix: 'OVHCLOUD_WEBPAAS_CLI_',
    oauthClientId: 'ovh-eu-cli',
    userDir: '.webpaas-cli',
    defaultAuthUrl: 'https://eu.auth.webpaas.ovhcloud.com',
    defaultApiUrl: 'https://eu.api.webpaas.ovhcloud.com',
    channel: { kind: 'phar-manifest', defaultUrl: 'https://eu.cli.webpaas.ovhcloud.com' },
    sshCaveat:
      'The Web PaaS CLI bundles no host keys for its git and SSH hosts: add them to ~/.ssh/known_hosts in an earlier step (from a trusted source, not ssh-keyscan at run time).'
  }
}

export const CLI_NAMES = Object.keys(CLIS) as CliName[]

/** The CLI's own variables that the action sets or reads (name without the prefix). */
export type CliVariable =
  | 'TOKEN'
  | 'SESSION_ID'
  | 'DEBUG'
  | 'HOME'
  | 'API_AUTH_URL'
  | 'API_BASE_URL'
  | 'OAUTH2_TOKEN_URL'
  | 'OAUTH2_AUTH_URL'
  | 'OAUTH2_REVOKE_URL'
  | 'CERTIFIER_URL'
  | 'TMP'
  | 'NO_INTERACTION'
  | 'UPDATES_CHECK'
  | 'API_DISABLE_CREDENTIAL_HELPERS'

/** The full name of one of the CLI's variables, e.g. `UPSUN_CLI_TOKEN`. */
export function cliVar(cli: CliSpec, name: CliVariable): string {
  return `${cli.envPrefix}${name}`
}

/**
 * Variables that make the CLI safe in CI: never prompt, never look for
 * updates, never download credential helpers or touch a keychain.
 */
export function ciSettings(cli: CliSpec): Record<string, string> {
  return {
    [cliVar(cli, 'NO_INTERACTION')]: '1',
    [cliVar(cli, 'UPDATES_CHECK')]: '0',
    [cliVar(cli, 'API_DISABLE_CREDENTIAL_HELPERS')]: '1'
  }
}

/**
 * Every endpoint the CLI sends credentials to, pinned to the ones the action
 * checked. The CLI derives the OAuth and certifier URLs from `api.auth_url`
 * only where its config leaves them unset, so a config file that sets
 * `api.oauth2_token_url` would beat `{P}API_AUTH_URL` alone. The explicit
 * names are used: the CLI reads `{P}API_<KEY>` only for keys its config
 * already holds.
 */
export function endpointVariables(
  cli: CliSpec,
  authUrl: string,
  apiUrl: string
): Record<string, string> {
  // authUrl comes without a trailing slash (inputs.ts), as the CLI derives these.
  return {
    [cliVar(cli, 'API_AUTH_URL')]: authUrl,
    [cliVar(cli, 'API_BASE_URL')]: apiUrl,
    [cliVar(cli, 'OAUTH2_TOKEN_URL')]: `${authUrl}/oauth2/token`,
    [cliVar(cli, 'OAUTH2_AUTH_URL')]: `${authUrl}/oauth2/authorize`,
    [cliVar(cli, 'OAUTH2_REVOKE_URL')]: `${authUrl}/oauth2/revoke`,
    [cliVar(cli, 'CERTIFIER_URL')]: authUrl
  }
}

/**
 * Whether the CLI is the Go build, which unpacks PHP and the phar into
 * `{P}TMP` (else its user cache) and runs them from there. The Web PaaS CLI
 * is a phar run by the runner's own php: it unpacks nothing.
 */
export function unpacksRuntime(cli: CliSpec): boolean {
  return cli.channel.kind === 'github-releases'
}

/**
 * The CLI's service prefix: it reads the default project, environment and app
 * from `PLATFORM_PROJECT`, `PLATFORM_BRANCH`, … for all three CLIs.
 */
export const SERVICE_ENV_PREFIX = 'PLATFORM_'

/**
 * The environment for CLI runs made by the action itself: the allow-listed
 * job variables (childEnv.ts says why an allow-list), the CLI's own `{P}*` and
 * `PLATFORM_*` variables, CI-safe settings, never the CLI's debug switch (it
 * prints tokens), and the token only when the run needs it (`token` given):
 * a `{P}TOKEN` of the job is never passed on otherwise.
 */
export function cliEnv(cli: CliSpec, options: { token?: string } = {}): Record<string, string> {
  const dropped = new Set([cliVar(cli, 'DEBUG'), cliVar(cli, 'TOKEN')])
  const env = childEnv(
    (name) =>
      (name.startsWith(cli.envPrefix) || name.startsWith(SERVICE_ENV_PREFIX)) && !dropped.has(name)
  )
  Object.assign(env, ciSettings(cli))
  if (options.token) env[cliVar(cli, 'TOKEN')] = options.token
  return env
}
