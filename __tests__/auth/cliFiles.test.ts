// The job's CLI session: its id, the checks on a workflow-chosen one, and what
// post removes and restores (and leaves to other sessions and other jobs).
import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  cliHome,
  closeCliSession,
  newSessionId,
  openCliSession,
  sessionDir,
  tokenSessionName
} from '../../src/auth/cliFiles.js'
import { CLIS } from '../../src/clis.js'

const cli = CLIS.upsun
const TOKEN = 'unit-token-0123456789abcdef'
const tmp = (): string => path.join(mkdtempSync(path.join(os.tmpdir(), 'cli-files-')), '.upsun-cli')
const write = (file: string, text = 'x'): void => {
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, text)
}
/** What ssh-cert:load writes into a session, and the shared files it points at it. */
function loadInto(userDir: string, id: string): string {
  const dir = sessionDir(userDir, id)
  for (const f of ['id_ed25519', 'id_ed25519.pub', 'id_ed25519-cert.pub', 'config'])
    write(path.join(dir, 'ssh', f))
  write(path.join(userDir, 'ssh', 'session.config'), `Host *\n  Include ${dir}/ssh/config\n`)
  write(path.join(userDir, 'ssh', 'host-keys'))
  write(path.join(userDir, 'ssh', 'host-keys.config'))
  write(path.join(userDir, 'locks', `ssh-cert--sess-cli-${id}.lock`))
  write(path.join(userDir, '.session', tokenSessionName(TOKEN), 'tokens.json'), 'access')
  return dir
}

describe('cliHome: the home the CLI uses, per platform', () => {
  const osHome = (): string => '/os/home'
  const P = 'UPSUN_CLI_'

  it.each(['linux', 'darwin', 'win32'] as const)(
    '%s: {P}HOME first, then HOME, then USERPROFILE, then the OS',
    (platform) => {
      const all = { UPSUN_CLI_HOME: '/cli', HOME: '/home', USERPROFILE: 'C:\\Users\\u' }
      expect(cliHome(P, platform, all, osHome)).toBe('/cli')
      expect(cliHome(P, platform, { ...all, UPSUN_CLI_HOME: '' }, osHome)).toBe('/home')
      expect(cliHome(P, platform, { USERPROFILE: 'C:\\Users\\u' }, osHome)).toBe('C:\\Users\\u')
      expect(cliHome(P, platform, { HOME: '', USERPROFILE: '' }, osHome)).toBe('/os/home')
    }
  )

  it('win32: HOME set by the workflow beats USERPROFILE (where os.homedir() would not)', () => {
    const env = { HOME: 'D:\\runner-home', USERPROFILE: 'C:\\Users\\runner' }
    expect(cliHome(P, 'win32', env, () => env.USERPROFILE)).toBe('D:\\runner-home')
  })

  it('win32 reads names case-insensitively; linux does not', () => {
    const env = { Upsun_Cli_Home: 'D:\\cli', home: 'D:\\h', UserProfile: 'C:\\Users\\u' }
    expect(cliHome(P, 'win32', env, osHome)).toBe('D:\\cli')
    expect(cliHome(P, 'win32', { home: 'D:\\h', UserProfile: 'C:\\u' }, osHome)).toBe('D:\\h')
    expect(cliHome(P, 'linux', env, osHome)).toBe('/os/home')
  })

  it('uses the prefix of the CLI it is asked about', () => {
    const env = { UPSUN_CLI_HOME: '/u', PLATFORMSH_CLI_HOME: '/p', HOME: '/h' }
    expect(cliHome('PLATFORMSH_CLI_', 'linux', env, osHome)).toBe('/p')
    expect(cliHome('OVHCLOUD_WEBPAAS_CLI_', 'linux', env, osHome)).toBe('/h')
  })
})

describe('session ids', () => {
  it('are made of the run, its attempt and a random part, in the CLI’s alphabet', () => {
    const env = { GITHUB_RUN_ID: '1234567890', GITHUB_RUN_ATTEMPT: '2' }
    const a = newSessionId(env)
    const b = newSessionId(env)
    expect(a).toMatch(/^gha-1234567890-2-[0-9a-f]{8}$/)
    expect(a).not.toBe(b)
    expect(newSessionId({})).toMatch(/^gha-local-1-[0-9a-f]{8}$/)
    expect(newSessionId({ GITHUB_RUN_ID: 'A/B C' })).toMatch(/^gha-abc-1-/)
  })

  it('the token session name is the CLI’s: sess-api-token- and 32 hex of its SHA-256', () => {
    expect(tokenSessionName('tok-aaaaaaaaaaaaaaaaaaaa')).toBe(
      'sess-api-token-7d0fab85fdddc27d9326713fe29d68c3'
    )
  })
})

describe('openCliSession', () => {
  it('gives the job a fresh session, not the default one', async () => {
    const state = await openCliSession(cli, tmp(), TOKEN, { GITHUB_RUN_ID: '7' })
    expect(state.sessionId).toMatch(/^gha-7-1-/)
    expect(state.chosenByWorkflow).toBe(false)
  })

  it.each(['Default', 'a b', 'api-token-x', 'x;rm'])(
    'refuses a workflow-chosen id the CLI would reject (%s)',
    async (id) => {
      await expect(openCliSession(cli, tmp(), TOKEN, { UPSUN_CLI_SESSION_ID: id })).rejects.toThrow(
        /UPSUN_CLI_SESSION_ID is set to .*does not accept as a session id/
      )
    }
  )

  it('refuses a workflow-chosen session that holds a stored API token (it would beat the input)', async () => {
    const userDir = tmp()
    write(path.join(sessionDir(userDir, 'shared'), 'api-token'), 'someone-elses-token')
    await expect(
      openCliSession(cli, userDir, TOKEN, { UPSUN_CLI_SESSION_ID: 'shared' })
    ).rejects.toThrow(/holds a stored API token .*act as another user/)
  })
})

describe('closeCliSession', () => {
  it('removes the job’s session, lock and token session; restores session.config; keeps other sessions', async () => {
    const userDir = tmp()
    const other = loadInto(userDir, 'default')
    const before = readFileSync(path.join(userDir, 'ssh', 'session.config'), 'utf8')
    const state = await openCliSession(cli, userDir, TOKEN, {})
    const ours = loadInto(userDir, state.sessionId)
    await closeCliSession(state, { certificateLoaded: true })
    expect(existsSync(ours)).toBe(false)
    expect(
      existsSync(path.join(userDir, 'locks', `ssh-cert--sess-cli-${state.sessionId}.lock`))
    ).toBe(false)
    expect(existsSync(path.join(userDir, '.session', tokenSessionName(TOKEN)))).toBe(false)
    expect(readFileSync(path.join(userDir, 'ssh', 'session.config'), 'utf8')).toBe(before)
    expect(existsSync(path.join(other, 'ssh', 'id_ed25519'))).toBe(true)
    expect(existsSync(path.join(userDir, 'ssh', 'host-keys'))).toBe(true)
  })

  it('leaves session.config alone when another job has pointed it at its own session since', async () => {
    const userDir = tmp()
    const state = await openCliSession(cli, userDir, TOKEN, {})
    loadInto(userDir, state.sessionId)
    loadInto(userDir, 'gha-9-1-concurrent')
    await closeCliSession(state, { certificateLoaded: true })
    expect(readFileSync(path.join(userDir, 'ssh', 'session.config'), 'utf8')).toContain(
      'gha-9-1-concurrent'
    )
    expect(existsSync(path.join(userDir, 'ssh', 'host-keys'))).toBe(true)
    expect(existsSync(userDir)).toBe(true)
  })

  it('removes a user directory the job created, whole, when no other session is in it', async () => {
    const userDir = tmp()
    const state = await openCliSession(cli, userDir, TOKEN, {})
    loadInto(userDir, state.sessionId)
    write(path.join(userDir, 'cache', 'x'))
    await closeCliSession(state, { certificateLoaded: true })
    expect(existsSync(userDir)).toBe(false)
  })

  it('in a workflow-chosen session: removes what appeared and the loaded certificate, keeps the rest', async () => {
    const userDir = tmp()
    const dir = sessionDir(userDir, 'mine')
    write(path.join(dir, 'keep.json'))
    const state = await openCliSession(cli, userDir, TOKEN, { UPSUN_CLI_SESSION_ID: 'mine' })
    loadInto(userDir, 'mine')
    write(path.join(dir, 'new.json'))
    await closeCliSession(state, { certificateLoaded: true })
    expect(existsSync(path.join(dir, 'keep.json'))).toBe(true)
    expect(existsSync(path.join(dir, 'new.json'))).toBe(false)
    expect(existsSync(path.join(dir, 'ssh'))).toBe(false)
    expect(existsSync(path.join(userDir, 'ssh', 'session.config'))).toBe(false)
  })
})
