// Runs workflows under nektos/act, an independent implementation of the
// GitHub Actions runner (not ours), in host mode, as a runner would: under
// `env -i` with only a runner's variables, secrets from a file, nothing that
// leaves loopback (no cache server, no version check, no action fetch).
//
//   import { actAvailable, runAct } from './act.mjs'
//   const run = await runAct({
//     workflow: '__tests__/act/workflows/setup.yml', // -W, relative to the repo
//     event: 'push',            // or 'pull_request', 'workflow_dispatch', …
//     payload: { … },           // the event JSON (written to a file), or eventPath
//     job: 'setup',             // -j (optional)
//     secrets: { UPSUN_CLI_TOKEN: token },   // --secret-file, never argv
//     vars: { … },              // --var-file: the `vars` context
//     env: { … },               // --env-file: every job's env, and it overrides
//                               // act's GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_REF
//     user,                     // run act (and so every step) as this OS user
//     cachePath,                // --action-cache-path: tool_cache/ lives here, so
//                               // reuse it for a cache hit on a later run
//   })
//   run.exitCode   act's exit code (non-zero when a job failed); run.timedOut
//   run.jobs       { jobId: 'success' | 'failure' }
//   run.outputs    `name=value` from lines a step prints as `result: name=value`
//                  (echo the outputs you check in a later step)
//   run.steps      [{ job, stepId, stage: 'Main'|'Post'|…, result, output: [...] }]
//   run.log        what act printed (its --json `msg` fields, one a line)
//   run.raw        act's stdout and stderr as they came (findActLeaks reads it)
//   run.sha        GITHUB_SHA: the commit act's repository is on (branch main)
//
// act runs in a copy of the repository (stageAct), so local reusable workflows
// (`uses: ./.github/workflows/x.yml`) and `uses: ./` work as in the clone.
// Gotchas: `uses: ./` needs a checkout step
// (act copies the repo, minus git-ignored files, instead); RUNNER_TOOL_CACHE
// is `<cachePath>/tool_cache`; node24 actions run with the first `node` on
// PATH; OpenSSH reads the passwd home, so jobs using ssh/git run as a test user.
import { execFileSync, spawn } from 'node:child_process'
import {
  accessSync,
  constants,
  copyFileSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseActLog } from './actlog.mjs'
import { ROOT } from './runner.mjs'
import { jobRuntime } from './runtime.mjs'

export { findActLeaks, parseActLog } from './actlog.mjs'

/** The act binary: beside the clone (../shared/tools/act), or SETUP_UPSUN_CLI_ACT. */
export const ACT_PATH =
  process.env.SETUP_UPSUN_CLI_ACT || path.resolve(ROOT, '..', 'shared', 'tools', 'act')

/** Whether act can run here (the binary is present and executable). */
export function actAvailable() {
  try {
    accessSync(ACT_PATH, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** A fresh folder for act's caches and workspaces, owned by `user` if given. */
export function newCachePath(user) {
  const dir = mkdtempSync(path.join(process.env.SETUP_UPSUN_CLI_JOBS_DIR || os.tmpdir(), 'act-'))
  if (user) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, dir])
  return dir
}

/** @type {{ act: string, repo: string, sha: string } | undefined} */
let staged

/**
 * What act runs, where a test user can reach it wherever the clone lives (a
 * 0700 home, say): the act binary, and the repository: the clone's files that
 * git does not ignore (what act would copy), committed alone on `main` with
 * origin github.com/example-org/storefront. Staged once per process, in the
 * run's temporary folder.
 */
export function stageAct() {
  if (staged) return staged
  const base = process.env.SETUP_UPSUN_CLI_RUN_TEMP || os.tmpdir()
  const dir = mkdtempSync(path.join(base, 'act-'))
  if (!process.env.SETUP_UPSUN_CLI_RUN_TEMP)
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  const act = path.join(dir, 'act')
  try {
    linkSync(ACT_PATH, act) // the same file system: free, and act's mode (r-x for all)
  } catch {
    copyFileSync(ACT_PATH, act)
  }
  const repo = path.join(dir, 'repo')
  const git = (cwd, ...args) =>
    execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], { cwd, encoding: 'utf8' })
  const files = git(ROOT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard')
  for (const file of files.split('\0').filter(Boolean)) {
    if (existsSync(path.join(ROOT, file))) cpSync(path.join(ROOT, file), path.join(repo, file))
  }
  git(repo, 'init', '-q', '-b', 'main')
  git(repo, 'remote', 'add', 'origin', 'https://github.com/example-org/storefront.git')
  git(repo, 'add', '-A')
  git(
    repo,
    '-c',
    'user.name=act',
    '-c',
    'user.email=act@localhost',
    'commit',
    '-q',
    '--no-gpg-sign',
    '-m',
    'act'
  )
  execFileSync('chmod', ['-R', 'a+rX', dir])
  staged = { act, repo, sha: git(repo, 'rev-parse', 'HEAD').trim() }
  return staged
}

/**
 * `NAME='value'` lines. act reads these files with godotenv, which expands
 * `$VAR` and strips quotes and spaces from bare values; single-quoted ones it
 * keeps as they are, so a value holding `'` or a line break is refused. (act
 * still evaluates a `${{ }}` in an env value.)
 */
function dotenv(values) {
  for (const [k, v] of Object.entries(values))
    if (/['\r\n]/.test(String(v)))
      throw new Error(`${k}: act cannot be given a value with ' or a line break`)
  return Object.entries(values)
    .map(([k, v]) => `${k}='${v}'\n`)
    .join('')
}

/**
 * @param {{ workflow: string, event?: string, payload?: object, eventPath?: string,
 *   job?: string, secrets?: Record<string,string>, vars?: Record<string,string>,
 *   env?: Record<string,string>, user?: { name: string, uid: number, gid: number, home: string },
 *   home?: string, cachePath?: string, timeoutMs?: number, args?: string[] }} options
 */
export async function runAct(options) {
  const { user, event = 'push', timeoutMs = 300_000 } = options
  const cachePath = options.cachePath ?? newCachePath(user)
  // Files act reads, in a folder of this run's own (the secrets file is 0600).
  const files = mkdtempSync(path.join(cachePath, 'run-'))
  const write = (name, text) => {
    const file = path.join(files, name)
    writeFileSync(file, text, { mode: 0o600 })
    if (user) execFileSync('chown', [`${user.uid}:${user.gid}`, file])
    return file
  }
  const home = options.home ?? user?.home ?? path.join(files, 'home')
  mkdirSync(home, { recursive: true })
  if (user) execFileSync('chown', [`${user.uid}:${user.gid}`, files, home])
  const args = [
    event,
    '-W',
    options.workflow,
    ...(options.job ? ['-j', options.job] : []),
    '-P',
    'ubuntu-latest=-self-hosted',
    '--action-offline-mode',
    '--pull=false',
    '--no-cache-server',
    '--json',
    '--action-cache-path',
    cachePath,
    '--secret-file',
    write('secrets', dotenv(options.secrets ?? {})),
    '--var-file',
    write('vars', dotenv(options.vars ?? {})),
    '--env-file',
    write('env', dotenv(options.env ?? {})),
    '--input-file',
    write('inputs', ''),
    ...(options.payload || options.eventPath
      ? ['-e', options.eventPath ?? write('event.json', JSON.stringify(options.payload))]
      : []),
    ...(options.args ?? [])
  ]
  // Only what a runner's job would have: act copies its own environment into
  // every step in host mode. Node 24 first on PATH: act runs node24 actions with it.
  const env = {
    HOME: home,
    USER: user?.name ?? 'root',
    LOGNAME: user?.name ?? 'root',
    LANG: 'C.UTF-8',
    PATH: [path.dirname(jobRuntime(user).node), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    TMPDIR: files,
    ACT_DISABLE_VERSION_CHECK: '1'
  }
  const started = performance.now()
  const { act, repo, sha } = stageAct()
  const result = await spawnAct(act, args, { cwd: repo, env, user, timeoutMs })
  rmSync(path.join(files, 'secrets'))
  return {
    ...parseActLog(result.stdout + result.stderr),
    ...result,
    cachePath,
    sha,
    ms: performance.now() - started
  }
}

/**
 * @returns {Promise<{ exitCode: number | null, timedOut: boolean, stdout: string, stderr: string, raw: string }>}
 */
function spawnAct(act, args, { cwd, env, user, timeoutMs }) {
  return new Promise((resolve, reject) => {
    // detached: its own process group, so a timeout ends the steps act started too.
    const child = spawn(act, args, {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user ? { uid: user.uid, gid: user.gid } : {})
    })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => {
      timedOut = true
      if (child.pid) process.kill(-child.pid, 'SIGKILL')
    }, timeoutMs)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ exitCode: code, timedOut, stdout, stderr, raw: stdout + stderr })
    })
  })
}
