import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../__fixtures__/core.js'
import { processOutput } from '../sandbox/runner.mjs'

jest.unstable_mockModule('@actions/core', () => core)
const { echoUntrusted, firstControlCharacter, printable } = await import('../src/text.js')

// Lines a server, an input or the CLI could send, each trying to become a
// workflow command the way the runner reads them.
const HOSTILE = [
  'ok\n::set-output name=injected::1',
  'ok\r::set-output name=injected::1',
  'ok\r\n  ::SET-OUTPUT name=injected::1',
  'ok\u2028::set-output name=injected::1',
  'ok ##[set-output name=injected;]1',
  '::set-output name=injected::1',
  '   ::save-state name=injected::1',
  '\t::add-mask::ok',
  'ok\n::stop-commands::x\n::set-output name=injected::1'
]

// Every log line goes through core.info: gather them as the runner reads stdout.
let written: string[] = []
beforeEach(() => {
  jest.resetAllMocks()
  core.resetCore()
  written = []
  core.info.mockImplementation((line) => void written.push(`${line}\n`))
})

/** What the runner stand-in acts on in what was written. */
function commandsIn(stdout: string) {
  const masks: string[] = []
  const result = processOutput(stdout, {}, masks)
  return { ...result, masks }
}

describe('printable', () => {
  it.each(HOSTILE)('leaves no command in a line of ours: %j', (text) => {
    const line = `Published at ${printable(text)}`
    expect(line).not.toMatch(/[\r\n\u2028]/)
    const { commands, outputs, state, masks } = commandsIn(`${line}\n`)
    expect(commands).toEqual([])
    expect(outputs).toEqual({})
    expect(state).toEqual({})
    expect(masks).toEqual([])
  })

  it('removes ANSI colours whole and turns tabs into spaces', () => {
    expect(printable('\u001b[32mgreen\u001b[0m\tand\u0007 plain')).toBe('green and plain')
  })

  it.each([
    ['zero-width space, joiners, marks', 'a\u200bb\u200cc\u200dd\u200ee\u200ff'],
    ['bidirectional embeddings and overrides', 'a\u202ab\u202bc\u202cd\u202de\u202ef'],
    ['word joiner, invisible operators, isolates', 'a\u2060b\u2063c\u2066d\u2067e\u2068f\u2069'],
    ['byte order mark, soft hyphen, Arabic letter mark', '\ufeffa\u00adb\u061cc'],
    ['tag characters (astral)', 'a\u{e0001}b\u{e0041}c\u{e007f}']
  ])('drops Unicode format characters (category Cf): %s', (_what, text) => {
    const out = printable(text)
    expect(out).not.toMatch(/\p{Cf}/u)
    expect(out.replace(/[a-f]/g, '')).toBe('')
  })

  it('shows what a right-to-left override hid, in reading order', () => {
    // Rendered, "\u202e" makes the rest read backwards: "deliaf" looks like "failed".
    expect(printable('Deploy \u202edeliaf\u202c ok')).toBe('Deploy deliaf ok')
  })

  it('cannot rejoin ##[ across a removed format character', () => {
    expect(printable('x ##\u200b[set-output name=a;]1')).toBe('x ## [set-output name=a;]1')
    expect(printable('##\u2060[error]x')).not.toContain('##[')
  })

  it('takes linear time whatever the text: 1 MiB of each worst shape in seconds, not hours', () => {
    // Linear: a fraction of a second per shape here, even under load; a quadratic pass would take hours.
    const shapes = ['\u200b', '##\u200b[', '\u001b[;', '\u001b[', '\u202e\t', 'a']
    for (const shape of shapes) {
      const text = shape.repeat(Math.ceil((1024 * 1024) / shape.length))
      const started = performance.now()
      printable(text)
      expect(performance.now() - started).toBeLessThan(5000)
    }
  })

  it('is the identity on plain text', () => {
    const plain = 'https://github.com/upsun/cli/releases (tag v5.11.1) user@example.com'
    expect(printable(plain)).toBe(plain)
  })
})

describe('the runner stand-in reads commands like the runner (so that the cases above can fail)', () => {
  it.each([
    ['::set-output name=a::1', 'a'],
    ['   ::set-output name=a::1', 'a'],
    ['::SET-OUTPUT name=a::1', 'a'],
    ['text before ##[set-output name=a;]1', 'a']
  ])('%j sets an output', (line, name) => {
    expect(commandsIn(line).outputs).toEqual({ [name]: '1' })
  })

  it('splits lines at a bare \\r, as .NET ReadLine does', () => {
    expect(commandsIn('text\r::set-output name=a::1').outputs).toEqual({ a: '1' })
  })

  it('acts on nothing between ::stop-commands::T and ::T::, and again after', () => {
    const { outputs } = commandsIn(
      [
        '::stop-commands::T0k3n',
        '::set-output name=a::1',
        '::t0k3n::',
        '::set-output name=b::2'
      ].join('\n')
    )
    expect(outputs).toEqual({ b: '2' })
  })

  it('refuses set-env and add-path unless ACTIONS_ALLOW_UNSECURE_COMMANDS is true', () => {
    const refused = commandsIn('::add-path::/tmp/evil').commands.filter((c) => c.name === 'error')
    expect(refused.map((c) => c.value).join()).toMatch(/`add-path` command is disabled/)
    const allowed = processOutput(
      '::add-path::/tmp/evil',
      { ACTIONS_ALLOW_UNSECURE_COMMANDS: 'true' },
      []
    )
    expect(allowed.commands.filter((c) => c.name === 'error')).toEqual([])
  })
})

describe('echoUntrusted', () => {
  it.each(HOSTILE)('prints the CLI output %j with commands stopped, then resumes', (text) => {
    const printed = echoUntrusted(text)
    const stdout = written.join('')
    const { commands, outputs, state, masks } = commandsIn(`${stdout}::set-output name=after::1\n`)
    expect(commands.map((c) => c.name)).toEqual(['stop-commands', 'set-output'])
    expect(outputs).toEqual({ after: '1' })
    expect(state).toEqual({})
    expect(masks).toEqual([])
    expect(printed.length).toBeGreaterThan(0)
    for (const line of printed) expect(stdout).toContain(line)
  })

  it('draws a new token every time, and prints nothing for empty output', () => {
    echoUntrusted('a')
    echoUntrusted('b')
    const tokens = written.join('').match(/::stop-commands::([0-9a-f]{32})/g) ?? []
    expect(new Set(tokens).size).toBe(2)
    written = []
    expect(echoUntrusted(' \n\r\n')).toEqual([])
    expect(written).toEqual([])
  })
})

describe('firstControlCharacter', () => {
  it.each([
    ['https://x\n::set-output', 'a line break (\\n)', 9],
    ['a\rb', 'a carriage return (\\r)', 1],
    ['a\tb', 'a tab', 1],
    ['a\u0085b', 'U+0085', 1],
    ['a\u2028b', 'U+2028', 1]
  ])('finds it in %j', (text, name, index) => {
    expect(firstControlCharacter(text)).toEqual({ name, index })
  })
  it('finds none in plain text', () => {
    expect(firstControlCharacter('https://example.com/ä?q=1#x')).toBeUndefined()
  })
})
