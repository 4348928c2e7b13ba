// Runs the bundled action the way the GitHub Actions runner does, on this
// machine: Node 24, INPUT_* from action.yml defaults plus the step's `with:`
// (hyphens kept), GITHUB_ENV / GITHUB_PATH / GITHUB_OUTPUT / GITHUB_STATE /
// GITHUB_STEP_SUMMARY files parsed (heredoc form included), STATE_* for the
// post step, `::add-mask::` applied to the log from the line it appears on,
// workflow commands acted on as the runner does (parseCommand below), and
// later `run:` steps executed with the exported environment and PATH.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { jobRuntime } from './runtime.mjs'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Defaults of action.yml's inputs, with `${{ … }}` expressions evaluated by `expressions`. */
export function actionDefaults(expressions = {}) {
  const action = parseYaml(readFileSync(path.join(ROOT, 'action.yml'), 'utf8'))
  const defaults = {}
  for (const [name, spec] of Object.entries(action.inputs ?? {})) {
    const value = String(spec.default ?? '')
    defaults[name] = value.includes('${{') ? (expressions[value] ?? '') : value
  }
  return defaults
}

/**
 * Parses a GITHUB_ENV / GITHUB_OUTPUT / GITHUB_STATE file.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseFileCommands(text) {
  /** @type {Record<string, string>} */
  const values = {}
  // Lines end in \n, or \r\n where the action wrote os.EOL on Windows: the \r
  // of a line's end is not part of a name, a value or a delimiter; a heredoc
  // keeps the \r\n inside its value.
  const lines = text.split('\n')
  const bare = (line) => line.replace(/\r$/, '')
  for (let i = 0; i < lines.length; i++) {
    const line = bare(lines[i])
    if (line === '') continue
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line)
    const eq = line.indexOf('=')
    if (heredoc && (eq === -1 || eq > line.indexOf('<<'))) {
      const [, name, delimiter] = heredoc
      const body = []
      for (i++; i < lines.length && bare(lines[i]) !== delimiter; i++) body.push(lines[i])
      if (i >= lines.length) throw new Error(`unterminated heredoc for ${name}`)
      if (body.length > 0) body.push(bare(body.pop()))
      values[name] = body.join('\n')
    } else if (eq > 0) {
      values[line.slice(0, eq)] = line.slice(eq + 1)
    } else {
      throw new Error(`malformed file command line: ${JSON.stringify(line)}`)
    }
  }
  return values
}

// Workflow commands, read the way actions/runner reads them (ActionCommand.cs,
// ActionCommandManager.cs): the output is split into lines at \n, \r and \r\n;
// a line is a command when, after leading whitespace, it starts with
// `::name props::data`, or when it holds `##[name props]data` anywhere (the old
// syntax); names are case-insensitive; `::stop-commands::TOKEN` makes every
// line plain text until `::TOKEN::`. `set-env` and `add-path` are refused
// unless ACTIONS_ALLOW_UNSECURE_COMMANDS is true.
const REGISTERED = [
  'stop-commands',
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'warning',
  'error',
  'notice',
  'debug',
  'group',
  'endgroup',
  'echo'
]
const UNSECURE = new Set(['set-env', 'add-path'])
// .NET's String.TrimStart: every Unicode white space, U+0085 included.
const LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/

const unescapeWith = (pairs) => (value) =>
  pairs.reduce((text, [token, escaped]) => text.split(escaped).join(token), value)
const unescapeData = unescapeWith([
  ['\r', '%0D'],
  ['\n', '%0A'],
  ['%', '%25']
])
const unescapeProperty = unescapeWith([
  ['\r', '%0D'],
  ['\n', '%0A'],
  [':', '%3A'],
  [',', '%2C'],
  ['%', '%25']
])
const unescapeOld = unescapeWith([
  [';', '%3B'],
  ['\r', '%0D'],
  ['\n', '%0A'],
  [']', '%5D'],
  ['%', '%25']
])

/**
 * Parses one output line as a workflow command, or returns undefined.
 * @param {string} line @param {Set<string>} registered lower-cased command names
 * @returns {{ name: string, properties: Record<string, string>, data: string } | undefined}
 */
export function parseCommand(line, registered) {
  const trimmed = line.replace(LEADING_SPACE, '')
  if (trimmed.startsWith('::')) {
    const end = trimmed.indexOf('::', 2)
    if (end >= 0) {
      const info = trimmed.slice(2, end)
      const space = info.indexOf(' ')
      const name = space < 0 ? info : info.slice(0, space)
      if (registered.has(name.toLowerCase())) {
        /** @type {Record<string, string>} */
        const properties = {}
        if (space > 0) {
          for (const pair of info
            .slice(space + 1)
            .trim()
            .split(',')
            .filter(Boolean)) {
            const eq = pair.indexOf('=')
            if (eq > 0 && eq < pair.length - 1)
              properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1))
          }
        }
        return { name, properties, data: unescapeData(trimmed.slice(end + 2)) }
      }
    }
  }
  const prefix = line.indexOf('##[')
  if (prefix < 0) return undefined
  const close = line.indexOf(']', prefix)
  if (close < 0) return undefined
  const info = line.slice(prefix + 3, close)
  const space = info.indexOf(' ')
  const name = space < 0 ? info : info.slice(0, space)
  if (!registered.has(name.toLowerCase())) return undefined
  /** @type {Record<string, string>} */
  const properties = {}
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .split(';')
      .filter(Boolean)) {
      const eq = pair.indexOf('=')
      if (eq > 0 && eq < pair.length - 1)
        properties[pair.slice(0, eq)] = unescapeOld(pair.slice(eq + 1))
    }
  }
  return { name, properties, data: unescapeOld(line.slice(close + 1)) }
}

/**
 * Processes a step's stdout line by line like the runner: commands are acted
 * on (masks apply from their line on, `set-output`/`save-state` set values),
 * everything else is logged with the masks known so far.
 * @param {string} stdout @param {Record<string, string>} env the step's environment
 * @param {string[]} masks the job's masks; `::add-mask::` adds to them
 */
export function processOutput(stdout, env, masks) {
  const out = []
  const commands = []
  // Values set by `::set-output` / `::save-state` (the runner applies files after these).
  /** @type {Record<string, string>} */
  const outputs = {}
  /** @type {Record<string, string>} */
  const state = {}
  const registered = new Set(REGISTERED)
  let stopToken = ''
  const allowUnsecure = (env.ACTIONS_ALLOW_UNSECURE_COMMANDS ?? '').toLowerCase() === 'true'
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const command = parseCommand(line, registered)
    const name = command?.name.toLowerCase()
    if (stopToken) {
      if (command && name === stopToken.toLowerCase()) {
        registered.delete(name)
        stopToken = ''
      }
      out.push(maskWith(masks, line))
      continue
    }
    if (!command) {
      out.push(maskWith(masks, line))
      continue
    }
    if (name === 'add-mask') {
      const value = command.data
      if (value.trim()) {
        masks.push(value)
        for (const part of value.split(/\r?\n/)) if (part) masks.push(part)
      }
      continue
    }
    out.push(maskWith(masks, line))
    const value = maskWith(masks, command.data)
    commands.push({ name: command.name.toLowerCase(), properties: command.properties, value })
    if (name === 'stop-commands') {
      stopToken = command.data
      registered.add(stopToken.toLowerCase())
    } else if (name === 'set-output' && command.properties.name) {
      outputs[command.properties.name] = command.data
    } else if (name === 'save-state' && command.properties.name) {
      state[command.properties.name] = command.data
    } else if (UNSECURE.has(name) && !allowUnsecure) {
      commands.push({
        name: 'error',
        properties: {},
        value: `The \`${name}\` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the \`ACTIONS_ALLOW_UNSECURE_COMMANDS\` environment variable to \`true\`.`
      })
    }
  }
  return { log: out.join('\n'), commands, outputs, state }
}

/** Masks every known secret in `text`, longest first (as the runner's masker). */
export function maskWith(masks, text) {
  let result = text
  for (const secret of [...masks].sort((a, b) => b.length - a.length))
    result = result.split(secret).join('***')
  return result
}

/**
 * A job: one home, temp and tool cache, steps run in order, env and PATH
 * carried from step to step as the runner does.
 */
export class Job {
  /**
   * @param {{ root?: string, toolCache?: string, env?: Record<string,string>, home?: string,
   *   expressions?: Record<string,string>, user?: { name: string, uid: number, gid: number },
   *   node?: string, wrap?: string[] }} [options]
   *   user: run every step as this (test) user, as a self-hosted runner's service account would.
   *   node: the Node binary that runs the action (another CPU's, under emulation);
   *   wrap: a command every step runs under (the emulated suites' namespace).
   */
  constructor(options = {}) {
    this.node = options.node
    this.wrap = options.wrap ?? []
    this.root =
      options.root ??
      mkdtempSync(path.join(process.env.SETUP_UPSUN_CLI_JOBS_DIR || os.tmpdir(), 'job-'))
    this.user = options.user
    this.home = options.home ?? path.join(this.root, 'home')
    this.temp = path.join(this.root, 'temp')
    this.toolCache = options.toolCache ?? path.join(this.root, 'toolcache')
    this.workspace = path.join(this.root, 'workspace')
    for (const d of [this.home, this.temp, this.toolCache, this.workspace])
      mkdirSync(d, { recursive: true })
    if (this.user) {
      // Only what this job created: a shared tool cache must keep its files'
      // ctime, which the cache-hit check reads (a chown moves it).
      execFileSync('chown', ['-R', `${this.user.uid}:${this.user.gid}`, this.root])
    }
    this.expressions = options.expressions ?? {}
    /** Variables exported through GITHUB_ENV so far. @type {Record<string, string>} */
    this.exported = {}
    /** Directories added through GITHUB_PATH so far (newest first). @type {string[]} */
    this.paths = []
    /** Values registered with ::add-mask:: so far. @type {string[]} */
    this.masks = []
    /** Saved state of the main step. @type {{ main?: Record<string, string> }} */
    this.state = {}
    /** @type {Record<string, string>} */
    this.baseEnv = {
      // A test user's PATH holds no directory of root's home (it could not read them).
      PATH: (process.env.PATH ?? '/usr/bin:/bin')
        .split(path.delimiter)
        .filter((d) => !options.user || !d.startsWith('/root'))
        .join(path.delimiter),
      LANG: 'C.UTF-8',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_ENVIRONMENT: 'self-hosted',
      SHELL: '/bin/bash',
      ...(options.user ? { USER: options.user.name, LOGNAME: options.user.name } : {}),
      HOME: this.home,
      RUNNER_TEMP: this.temp,
      RUNNER_TOOL_CACHE: this.toolCache,
      GITHUB_WORKSPACE: this.workspace,
      // One workflow run: every job of a test shares it, as matrix legs do.
      GITHUB_RUN_ID: '9000000001',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: 'https://api.github.com',
      // The sandbox is on loopback; a proxy set on this machine must not take it.
      NO_PROXY: '127.0.0.1,localhost',
      ...options.env
    }
    /** Every step's result, for the leak check. */
    this.steps = []
    this.counter = 0
  }

  /** The environment a step sees: base + exported + PATH additions. */
  stepEnv(extra = {}) {
    const env = { ...this.baseEnv, ...this.exported, ...extra }
    env.PATH = [...this.paths, env.PATH].join(this.pathDelimiter ?? path.delimiter)
    return env
  }

  /**
   * Runs the action's main step with `with:` inputs.
   * @param {Record<string,string>} [withInputs]
   * @param {{ env?: Record<string,string>, timeoutMs?: number, wrap?: string[] }} [options]
   */
  async main(withInputs = {}, options = {}) {
    this.inputs = { ...actionDefaults(this.expressions), ...withInputs }
    return this.#runNode('index.cjs', this.inputs, {}, options)
  }

  /** Runs the post step with the state the main step saved (STATE_*). */
  async post(options = {}) {
    const state = {}
    for (const [k, v] of Object.entries(this.state.main ?? {})) state[`STATE_${k}`] = v
    return this.#runNode(
      'cleanup.cjs',
      this.inputs ?? actionDefaults(this.expressions),
      state,
      options
    )
  }

  async #runNode(entry, inputs, stateEnv, options) {
    const id = `${entry.replace(/\.c?js$/, '')}-${++this.counter}`
    /** @type {Record<string, string>} */
    const files = {}
    for (const name of [
      'GITHUB_ENV',
      'GITHUB_PATH',
      'GITHUB_OUTPUT',
      'GITHUB_STATE',
      'GITHUB_STEP_SUMMARY'
    ]) {
      files[name] = path.join(this.root, `${id}.${name.toLowerCase()}`)
      writeFileSync(files[name], '')
      if (this.user) execFileSync('chown', [`${this.user.uid}:${this.user.gid}`, files[name]])
    }
    const inputEnv = {}
    for (const [name, value] of Object.entries(inputs)) {
      inputEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
    }
    const env = this.stepEnv({ ...inputEnv, ...stateEnv, ...files, ...options.env })
    const result = await this.spawnAction(entry, env, options)
    const read = (name) => readFileSync(files[name], 'utf8')
    // The runner reads commands from stderr as well as stdout (each stream on
    // its own; here stdout first, as the order between them is not kept).
    const processed = processOutput(result.stdout, env, this.masks)
    const processedErr = processOutput(result.stderr, env, this.masks)
    const log = processed.log
    const commands = [...processed.commands, ...processedErr.commands]
    const exported = parseFileCommands(read('GITHUB_ENV'))
    const outputs = {
      ...processed.outputs,
      ...processedErr.outputs,
      ...parseFileCommands(read('GITHUB_OUTPUT'))
    }
    const state = {
      ...processed.state,
      ...processedErr.state,
      ...parseFileCommands(read('GITHUB_STATE'))
    }
    const paths = read('GITHUB_PATH').split(/\r?\n/).filter(Boolean)
    const stderr = processedErr.log
    Object.assign(this.exported, exported)
    this.paths.unshift(...paths.reverse())
    if (entry === 'index.cjs') this.state.main = state
    const step = {
      id,
      exitCode: result.code,
      timedOut: result.timedOut,
      /** stdout as the runner would show it: masks applied, commands consumed. */
      log,
      stderr,
      rawStdout: result.stdout,
      rawStderr: result.stderr,
      commands,
      errors: commands.filter((c) => c.name === 'error').map((c) => c.value),
      warnings: commands.filter((c) => c.name === 'warning').map((c) => c.value),
      notices: commands.filter((c) => c.name === 'notice').map((c) => c.value),
      outputs,
      exported,
      paths,
      state,
      summary: read('GITHUB_STEP_SUMMARY'),
      files,
      ms: result.ms
    }
    this.steps.push(step)
    return step
  }

  /**
   * Starts one of the bundle's entry points under Node; the Windows job
   * (wine.mjs) starts it under Wine instead.
   */
  spawnAction(entry, env, options) {
    // options.wrap: a command to run node under (the benchmark's /usr/bin/time).
    const runtime = jobRuntime(this.user)
    const [command, ...args] = [
      ...(options.wrap ?? this.wrap),
      this.node ?? runtime.node,
      path.join(runtime.dist, entry)
    ]
    return spawnCapture(command, args, {
      env,
      cwd: this.workspace,
      user: this.user,
      timeoutMs: options.timeoutMs ?? 120_000
    })
  }

  #mask(text) {
    return maskWith(this.masks, text)
  }

  /**
   * Runs a later `run:` step (bash -e) with the job's env and PATH.
   * @param {string} script
   * @param {{ env?: Record<string,string>, timeoutMs?: number }} [options]
   */
  async run(script, options = {}) {
    const [command, ...args] = [...this.wrap, 'bash', '-e', '-c', script]
    const result = await spawnCapture(command, args, {
      env: this.stepEnv(options.env),
      cwd: this.workspace,
      user: this.user,
      timeoutMs: options.timeoutMs ?? 120_000
    })
    const step = {
      id: `run-${++this.counter}`,
      exitCode: result.code,
      stdout: this.#mask(result.stdout),
      stderr: this.#mask(result.stderr),
      rawStdout: result.stdout,
      rawStderr: result.stderr,
      ms: result.ms
    }
    return step
  }
}

/** Spawns a process, collects its output, with a hard timeout. */
export function spawnCapture(
  command,
  args,
  { env, cwd, timeoutMs = 120_000, input, user = undefined }
) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const ids = user ? { uid: user.uid, gid: user.gid } : {}
    // No stdin unless there is input: a child that exits at once must not EPIPE us.
    const stdin = input === undefined ? 'ignore' : 'pipe'
    const child = spawn(command, args, { env, cwd, stdio: [stdin, 'pipe', 'pipe'], ...ids })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr, timedOut, ms: performance.now() - started })
    })
    if (child.stdin) {
      child.stdin.on('error', () => undefined)
      child.stdin.end(input)
    }
  })
}

/** True when a file exists (for readable assertions). */
export function exists(p) {
  return existsSync(p)
}
