import { getExecOutput } from '@actions/exec'
import { which } from '@actions/io'
import { chmod, mkdir, mkdtemp, readFile, readdir, stat } from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import * as core from '@actions/core'
import { cliVar, type CliSpec } from '../clis.js'
import { ActionError } from '../errors.js'
import { State, saveState, type SshState } from '../state.js'
import { echoUntrusted } from '../text.js'
import { MFA_EXTENSION, readCertificate } from './certificate.js'
import { appendBlock, backupConfig } from './config.js'
import { checkSshCertVersion } from './requirements.js'

/** The loaded certificate, for the outputs. */
export interface SshCert {
  readonly path: string
  readonly expiresAt: string
}

const INCLUDE_BLOCK = 'setup-upsun-cli include of the CLI SSH configuration'

export interface SshOptions {
  readonly cli: CliSpec
  readonly binaryPath: string
  /** The installed version (5.0.6 or later bundles the platform's host keys). */
  readonly version: string
  /** The environment for the CLI run: the token, endpoint overrides and session id in it. */
  readonly env: Record<string, string>
  /** HOME as the CLI sees it ({P}HOME, else HOME). */
  readonly home: string
  /** The home OpenSSH reads (getpwuid); differs from HOME in container jobs. */
  readonly sshHome: string
}

/**
 * Runs `<cli> ssh-cert:load --no-interaction` (token in its environment,
 * never on its command line), so that later git/ssh/rsync/scp steps reach the
 * platform. Everything post must undo is saved in state before it is done.
 */
export async function loadSshCert(options: SshOptions): Promise<SshCert> {
  const { cli, home, sshHome } = options
  // main checks this before anything is exported; kept here for any other caller.
  checkSshCertVersion(cli, options.version)
  if (cli.sshCaveat) core.warning(cli.sshCaveat)
  if (!(await which('ssh-keygen', false))) {
    throw new ActionError(
      'ssh-cert: true needs OpenSSH (ssh and ssh-keygen) on the runner; install it in an earlier step.'
    )
  }
  const state: SshState = {
    configs: [],
    createdDirs: [],
    backupDir: await mkdtemp(
      path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'setup-upsun-cli-ssh-')
    )
  }
  const save = (): void => saveState(State.Ssh, state)

  const sshDir = path.join(home, '.ssh')
  await ensureSshDir(sshDir, state)
  state.configs.push(
    await backupConfig(path.join(sshDir, 'config'), path.join(state.backupDir, 'config'))
  )
  save()

  const result = await getExecOutput(options.binaryPath, ['ssh-cert:load', '--no-interaction'], {
    env: options.env,
    silent: true,
    ignoreReturnCode: true
  })
  // The CLI's output holds what servers said: echoed with commands stopped.
  const lines = echoUntrusted(`${result.stdout}\n${result.stderr}`)
  if (result.exitCode !== 0) {
    throw new ActionError(
      `${cli.binary} ssh-cert:load failed (exit code ${result.exitCode}): ${lastLines(lines)}. ` +
        "Check that the token is valid and that its user may get SSH certificates; the CLI's message above says more."
    )
  }

  if (path.resolve(sshHome) !== path.resolve(home)) {
    // Container jobs: HOME (/github/home) is not the passwd home OpenSSH reads.
    // Include the config the CLI wrote from the one ssh will read.
    const passwdSshDir = path.join(sshHome, '.ssh')
    await ensureSshDir(passwdSshDir, state)
    const config = path.join(passwdSshDir, 'config')
    state.configs.push(await backupConfig(config, path.join(state.backupDir, 'config.passwd-home')))
    save()
    await appendBlock(
      config,
      INCLUDE_BLOCK,
      `Match all\nInclude ${sshPath(path.join(sshDir, 'config'))}\n`
    )
    core.info(
      `HOME (${home}) is not the home OpenSSH reads (${sshHome}); ${config} now includes ${path.join(sshDir, 'config')}.`
    )
  }

  const sessionId = options.env[cliVar(cli, 'SESSION_ID')] || 'default'
  const keyDir = path.join(home, cli.userDir, '.session', `sess-cli-${sessionId}`, 'ssh')
  core.debug(`Looking for the certificate ssh-cert:load wrote in ${keyDir}`)
  const certPath = await findCertificate(keyDir)
  if (!certPath) {
    throw new ActionError(
      `${cli.binary} ssh-cert:load reported success, but wrote no certificate (id_*-cert.pub) in ${keyDir}.`
    )
  }
  const keyPath = certPath.slice(0, -'-cert.pub'.length)
  for (const file of [certPath, keyPath]) await tighten(file)
  const { expiresAt, extensions } = readCertificate(await readFile(certPath, 'utf8'))
  core.info(
    `SSH certificate ${certPath} expires at ${expiresAt}; later ssh and git runs refresh it through the CLI.`
  )
  if (!extensions.includes(MFA_EXTENSION)) {
    core.info(
      `The certificate has no ${MFA_EXTENSION} extension: it is not MFA-verified (certificates from an API token never are). ` +
        'An organization that enforces multi-factor authentication refuses it when ssh or git connect ("access requires MFA"), not now.'
    )
  }
  return { path: certPath, expiresAt }
}

/**
 * The certificate in a session's ssh directory: `id_<algorithm>-cert.pub`
 * (ed25519 today; an upcoming CLI names the key after its algorithm, e.g.
 * `id_rsa` on FIPS hosts). The newest wins if there are several.
 */
async function findCertificate(keyDir: string): Promise<string | undefined> {
  let names: string[]
  try {
    names = (await readdir(keyDir)).filter((n) => /^id_[A-Za-z0-9_]+-cert\.pub$/.test(n))
  } catch {
    return undefined
  }
  let newest: { file: string; mtime: number } | undefined
  for (const name of names) {
    const file = path.join(keyDir, name)
    const mtime = (await stat(file)).mtimeMs
    if (!newest || mtime > newest.mtime) newest = { file, mtime }
  }
  return newest?.file
}

async function ensureSshDir(dir: string, state: SshState): Promise<void> {
  try {
    await stat(dir)
  } catch {
    await mkdir(dir, { recursive: true, mode: 0o700 })
    state.createdDirs.push(dir)
  }
}

async function tighten(file: string): Promise<void> {
  if (process.platform === 'win32') return
  try {
    await chmod(file, 0o600)
  } catch {
    // the file may not exist for other key types
  }
}

/** OpenSSH config paths: forward slashes, quoted when they hold spaces. */
function sshPath(p: string): string {
  const slashed = p.split(path.sep).join('/')
  return /\s/.test(slashed) ? `"${slashed}"` : slashed
}

function lastLines(lines: string[]): string {
  return (
    lines
      .map((line) => line.trim())
      .slice(-3)
      .join(' / ') || 'no output'
  )
}
