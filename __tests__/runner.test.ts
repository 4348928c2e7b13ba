// src/runner.ts against real files and the runner stand-in's parsers
// (sandbox/runner.mjs reads file commands and workflow commands as
// actions/runner does). Log lines go to file descriptor 1 through
// fs.writeSync, which is replaced here to catch them (and to act as a
// non-blocking or closed pipe).
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseFileCommands, processOutput } from '../sandbox/runner.mjs'

const writeSync = jest.fn<typeof fs.writeSync>()
jest.unstable_mockModule('node:fs', () => ({ ...fs, writeSync }))
const runner = await import('../src/runner.js')

const FILES = ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY']
let dir: string
let logged: string
const saved = { ...process.env }

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-'))
  for (const name of FILES) {
    process.env[name] = path.join(dir, name.toLowerCase())
    fs.writeFileSync(process.env[name], '')
  }
  logged = ''
  writeSync.mockReset()
  writeSync.mockImplementation(((fd: number, buffer: Buffer, offset?: number | null) => {
    expect(fd).toBe(1)
    logged += buffer.subarray(offset ?? 0).toString('utf8')
    return buffer.length - (offset ?? 0)
  }) as typeof fs.writeSync)
})
afterEach(() => {
  process.env = { ...saved }
  process.exitCode = undefined
  fs.rmSync(dir, { recursive: true, force: true })
})

const read = (name: string) => fs.readFileSync(process.env[name] ?? '', 'utf8')

describe('file commands', () => {
  // Values a server could send back (a user email, a project title) that try
  // to end the block early or to add a variable of their own.
  const HOSTILE = [
    'plain',
    '',
    'two\nlines',
    'ends early\nghadelimiter_0\nINJECTED<<x\nboo\nx',
    'ghadelimiter_0 ghadelimiter_1 ghadelimiter_2',
    'windows\r\nline\r\n',
    'name=value'
  ]

  it.each(HOSTILE)('setOutput keeps %j as one value, nothing else', (value) => {
    runner.setOutput('user-email', value)
    runner.setOutput('after', 'still here')
    expect(parseFileCommands(read('GITHUB_OUTPUT'))).toEqual({
      'user-email': value,
      after: 'still here'
    })
  })

  it('exportVariable writes GITHUB_ENV and sets the variable for this process', () => {
    runner.exportVariable('UPSUN_CLI_NO_INTERACTION', '1')
    expect(parseFileCommands(read('GITHUB_ENV'))).toEqual({ UPSUN_CLI_NO_INTERACTION: '1' })
    expect(process.env.UPSUN_CLI_NO_INTERACTION).toBe('1')
  })

  it('saveState writes GITHUB_STATE, and getState reads it back as the post step gets it', () => {
    runner.saveState('cli-session', '{"a":1}')
    const state = parseFileCommands(read('GITHUB_STATE'))
    expect(state).toEqual({ 'cli-session': '{"a":1}' })
    process.env['STATE_cli-session'] = state['cli-session']
    expect(runner.getState('cli-session')).toBe('{"a":1}')
    expect(runner.getState('never-saved')).toBe('')
  })

  it.each(['a\nb', 'a=b', 'a<<b'])(
    'refuses the name %j (the runner would read another entry from it)',
    (name) => {
      expect(() => runner.setOutput(name, 'x')).toThrow(/holds a line break, = or <</)
      expect(read('GITHUB_OUTPUT')).toBe('')
    }
  )

  it('addPath puts the directory first, for later steps and for this process', () => {
    process.env.PATH = '/usr/bin'
    runner.addPath('/cache/upsun/5.11.1/x64')
    expect(read('GITHUB_PATH')).toBe(`/cache/upsun/5.11.1/x64${os.EOL}`)
    expect(process.env.PATH).toBe(`/cache/upsun/5.11.1/x64${path.delimiter}/usr/bin`)
  })

  it('says what is wrong when the runner gave no file', () => {
    delete process.env.GITHUB_OUTPUT
    expect(() => runner.setOutput('version', '1')).toThrow(
      /GITHUB_OUTPUT is not set: this action runs only as a step of a GitHub Actions job/
    )
  })

  it('appendSummary appends, and does nothing without GITHUB_STEP_SUMMARY', () => {
    runner.appendSummary('<h3>one</h3>\n')
    runner.appendSummary('<p>two</p>\n')
    expect(read('GITHUB_STEP_SUMMARY')).toBe('<h3>one</h3>\n<p>two</p>\n')
    delete process.env.GITHUB_STEP_SUMMARY
    expect(() => runner.appendSummary('x')).not.toThrow()
  })
})

describe('inputs', () => {
  it('reads INPUT_<NAME> (spaces as _, upper case), trimmed; empty when not given', () => {
    process.env['INPUT_API-URL'] = '  https://api.example.test \n'
    process.env.INPUT_MY_INPUT = 'x'
    expect(runner.getInput('api-url')).toBe('https://api.example.test')
    expect(runner.getInput('my input')).toBe('x')
    expect(runner.getInput('absent')).toBe('')
  })
})

describe('log lines and workflow commands', () => {
  it('writes what the runner reads as the intended commands, with data escaped', async () => {
    runner.info('plain line')
    runner.setSecret('s3cret-value')
    runner.notice('100% done\nsecond line')
    runner.warning('careful\r::set-output name=x::1')
    await runner.group('A group', async () => runner.info('inside'))
    const masks: string[] = []
    const { commands, outputs, log } = processOutput(logged, {}, masks)
    expect(new Set(masks)).toEqual(new Set(['s3cret-value']))
    expect(outputs).toEqual({})
    expect(commands.map((c: { name: string; value: string }) => [c.name, c.value])).toEqual([
      ['notice', '100% done\nsecond line'],
      ['warning', 'careful\r::set-output name=x::1'],
      ['group', 'A group'],
      ['endgroup', '']
    ])
    expect(log).toContain('plain line')
    expect(log).toContain('inside')
  })

  it('closes the group when its work fails', async () => {
    await expect(
      runner.group('Failing', async () => {
        throw new Error('boom')
      })
    ).rejects.toThrow('boom')
    expect(logged.trim().split(os.EOL).pop()).toBe('::endgroup::')
  })

  it('setFailed sets exit code 1 with an error annotation', () => {
    runner.setFailed('it broke')
    expect(process.exitCode).toBe(1)
    expect(logged).toBe(`::error::it broke${os.EOL}`)
  })

  it('waits on a pipe left non-blocking (EAGAIN) and writes the rest', () => {
    const again = Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' })
    let calls = 0
    writeSync.mockImplementation(((_fd: number, buffer: Buffer, offset?: number | null) => {
      calls++
      if (calls === 1) throw again
      const from = offset ?? 0
      // Then a short write: half of what is left.
      const n = calls === 2 ? Math.ceil((buffer.length - from) / 2) : buffer.length - from
      logged += buffer.subarray(from, from + n).toString('utf8')
      return n
    }) as typeof fs.writeSync)
    runner.info('a line written in parts')
    expect(logged).toBe(`a line written in parts${os.EOL}`)
    expect(calls).toBe(3)
  })

  it('drops a line when nobody reads the log any more (EPIPE), and rethrows anything else', () => {
    writeSync.mockImplementation(() => {
      throw Object.assign(new Error('EPIPE'), { code: 'EPIPE' })
    })
    expect(() => runner.info('nobody reads this')).not.toThrow()
    writeSync.mockImplementation(() => {
      throw Object.assign(new Error('EIO'), { code: 'EIO' })
    })
    expect(() => runner.info('x')).toThrow('EIO')
  })
})
