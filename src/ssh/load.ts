import * as core from '@actions/core'
import { getExecOutput } from '@actions/exec'
import { which } from '@actions/io'
import { chmod, mkdir, mkdtemp, readFile, stat } from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { cliVar, type CliSpec } from '../clis.js'
import { ActionError } from '../errors.js'
import { State, saveState, type SshState } from '../state.js'
import { echoUntrusted } from '../text.js'
import { certificateExpiry } from './certificate.js'
import { appendBlock, backupConfig } from './config.js'

/** The loaded certificate, for the outputs. */
export interface SshCert {
  readonly path: string
  readonly expiresAt: string
}

const INCLUDE_BLOCK = 'setup-upsun-cli include of the CLI SSH configuration'

export interface SshOptions {
  readonly cli: CliSpec
  readonly binaryPath: string
  /** The environment for the CLI run: the token and endpoint overrides in it. */
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
        'If the organization enforces multi-factor authentication for SSH, certificates of API tokens are refused: ' +
        "use a machine user in an organization or project without that requirement. Check also that the token's user has SSH access to the project."
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
  const certPath = path.join(keyDir, 'id_ed25519-cert.pub')
  let certText: string
  try {
    certText = await readFile(certPath, 'utf8')
  } catch {
    throw new ActionError(
      `${cli.binary} ssh-cert:load reported success, but wrote no certificate at ${certPath}.`
    )
  }
  for (const file of [certPath, path.join(keyDir, 'id_ed25519')]) await tighten(file)
  const expiresAt = certificateExpiry(certText)
  core.info(
    `SSH certificate ${certPath} expires at ${expiresAt}; later ssh and git runs refresh it through the CLI.`
  )
  return { path: certPath, expiresAt }
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
