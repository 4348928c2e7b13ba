/**
 * The environment of the programs the action runs itself (the CLI's
 * `--version` and `ssh-cert:load`, `php -r`).
 *
 * The rule is an allow-list, not a deny-list. The job's environment holds
 * secrets whose names nobody can list in advance: the runner's
 * (`ACTIONS_RUNTIME_TOKEN`, `ACTIONS_ID_TOKEN_REQUEST_TOKEN`/`_URL`, cache and
 * results URLs), this step's raw inputs (`INPUT_TOKEN`, `INPUT_GITHUB-TOKEN`),
 * and whatever the workflow put in `env:` (cloud keys, other tools' tokens).
 * A deny-list only covers the names known today. These runs are short and
 * known, so what they need is known too: the variables below, and (for the
 * CLI) its own prefixed variables, added by `cliEnv` in clis.ts.
 */

/** Passed through by exact name (compared upper-cased: Windows names are case-insensitive). */
const NAMES = new Set([
  // Finding programs and files, who runs them
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL', // the CLI writes a shell-specific guard into its SSH config
  'TERM',
  'TZ',
  'CI', // the CLI skips update and migration prompts in CI
  'NO_COLOR',
  // Temporary files
  'TMPDIR',
  'TMP',
  'TEMP',
  // Where the CLI unpacks its PHP runtime and keeps its cache (Go's os.UserCacheDir)
  'XDG_CACHE_HOME',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'XDG_RUNTIME_DIR',
  // Locale
  'LANG',
  'LANGUAGE',
  // Proxies (either case, see below) and TLS trust for a proxy that inspects TLS
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'ALL_PROXY',
  'NO_PROXY',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  // ssh-cert:load may add the key to the job's agent when the workflow asks it to
  'SSH_AUTH_SOCK',
  // PHP's configuration (the Web PaaS CLI is a phar)
  'PHPRC',
  'PHP_INI_SCAN_DIR',
  // The Upsun binary reads its vendor configuration from here (Platform.sh builds)
  'CLI_CONFIG_FILE',
  // Windows: programs fail in odd ways without these
  'SYSTEMROOT',
  'SYSTEMDRIVE',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
  'USERPROFILE',
  'USERNAME',
  'USERDOMAIN',
  'HOMEDRIVE',
  'HOMEPATH',
  'APPDATA',
  'LOCALAPPDATA',
  'PROGRAMDATA',
  'PROGRAMFILES',
  'PROGRAMFILES(X86)',
  'PROGRAMW6432',
  'COMMONPROGRAMFILES',
  'COMPUTERNAME',
  'OS',
  'PROCESSOR_ARCHITECTURE',
  'NUMBER_OF_PROCESSORS'
])

/** Passed through by prefix. */
const PREFIXES = ['LC_']

/** True when a variable of the job may reach a child, whatever the child. */
export function isPassedThrough(name: string): boolean {
  const upper = name.toUpperCase()
  return NAMES.has(upper) || PREFIXES.some((prefix) => upper.startsWith(prefix))
}

/**
 * The job's variables that any child of the action may see, plus those for
 * which `alsoPass` answers true (a CLI's own prefix).
 */
export function childEnv(
  alsoPass: (name: string) => boolean = () => false
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && (isPassedThrough(name) || alsoPass(name))) env[name] = value
  }
  return env
}

/**
 * Removes from this process what nothing reads once the inputs are read: the
 * raw token inputs and the runner's service credentials and endpoints
 * (`ACTIONS_RUNTIME_TOKEN`, `ACTIONS_ID_TOKEN_REQUEST_TOKEN`, …; the action
 * uses no OIDC, cache or artifact service). Then no child inherits them, even
 * one started by a library with the whole environment.
 */
export function forgetJobSecrets(): void {
  for (const name of Object.keys(process.env)) {
    if (/^(INPUT_TOKEN|INPUT_GITHUB-TOKEN|ACTIONS_.*)$/i.test(name)) delete process.env[name]
  }
}
