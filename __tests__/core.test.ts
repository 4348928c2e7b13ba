// What the real @actions/core writes, read back by the runner stand-in
// (sandbox/runner.mjs parses file commands and workflow commands as
// actions/runner does), so the end-to-end suites read what a runner would.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '@actions/core'
import * as fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseFileCommands, processOutput } from '../sandbox/runner.mjs'

const FILES = ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY']
let dir: string
let logged: string
const saved = { ...process.env }

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'core-'))
  for (const name of FILES) {
    process.env[name] = path.join(dir, name.toLowerCase())
    fs.writeFileSync(process.env[name], '')
  }
  logged = ''
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    logged += String(chunk)
    return true
  })
})
afterEach(() => {
  jest.restoreAllMocks()
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
    'name=value\n::set-output name=x::1'
  ]

  it.each(HOSTILE)('setOutput keeps %j as one value, nothing else', (value) => {
    core.setOutput('user-email', value)
    core.setOutput('after', 'still here')
    expect(parseFileCommands(read('GITHUB_OUTPUT'))).toEqual({
      'user-email': value,
      after: 'still here'
    })
  })

  it('writes a 1 MiB value made of delimiters in linear time', () => {
    const value = 'ghadelimiter_0\n'.repeat(Math.ceil(2 ** 20 / 15))
    const started = process.hrtime.bigint()
    core.setOutput('user-email', value)
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    expect(parseFileCommands(read('GITHUB_OUTPUT'))).toEqual({ 'user-email': value })
    expect(ms).toBeLessThan(2000)
  })

  it('exportVariable, saveState and addPath reach their files and this process', () => {
    process.env.PATH = '/usr/bin'
    core.exportVariable('UPSUN_CLI_NO_INTERACTION', '1')
    core.saveState('cli-session', '{"a":1}')
    core.addPath('/cache/upsun/5.11.1/x64')
    expect(parseFileCommands(read('GITHUB_ENV'))).toEqual({ UPSUN_CLI_NO_INTERACTION: '1' })
    expect(process.env.UPSUN_CLI_NO_INTERACTION).toBe('1')
    const state = parseFileCommands(read('GITHUB_STATE'))
    expect(state).toEqual({ 'cli-session': '{"a":1}' })
    // As the post step gets it.
    process.env['STATE_cli-session'] = state['cli-session']
    expect(core.getState('cli-session')).toBe('{"a":1}')
    expect(read('GITHUB_PATH')).toBe(`/cache/upsun/5.11.1/x64${os.EOL}`)
    expect(process.env.PATH).toBe(`/cache/upsun/5.11.1/x64${path.delimiter}/usr/bin`)
  })
})

describe('log lines and workflow commands', () => {
  it('are read by the stand-in as the intended commands, with data escaped', async () => {
    core.info('plain line')
    core.setSecret('s3cret-value')
    core.notice('100% done\nsecond line')
    core.warning('careful\r::set-output name=x::1')
    await core.group('A group', async () => core.info('inside'))
    core.setFailed('it broke')
    const masks: string[] = []
    const { commands, outputs, log } = processOutput(logged, {}, masks)
    expect(new Set(masks)).toEqual(new Set(['s3cret-value']))
    expect(outputs).toEqual({})
    expect(commands.map((c: { name: string; value: string }) => [c.name, c.value])).toEqual([
      ['notice', '100% done\nsecond line'],
      ['warning', 'careful\r::set-output name=x::1'],
      ['group', 'A group'],
      ['endgroup', ''],
      ['error', 'it broke']
    ])
    expect(process.exitCode).toBe(1)
    expect(log).toContain('plain line')
    expect(log).toContain('inside')
  })
})
