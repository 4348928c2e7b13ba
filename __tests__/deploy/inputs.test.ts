// The deploy inputs: what they need, the commit they pick, the timeout's forms.
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseDeployInputs } from '../../src/deploy/inputs.js'

const SHA = 'c'.repeat(40)
const HEAD = 'd'.repeat(40)
const context = { project: 'p1', environment: 'main', verifyToken: true, githubToken: 'ghs' }
const raw = (extra = {}) => ({
  wait: true,
  commit: '',
  timeout: '',
  githubDeployment: false,
  ...extra
})
const saved = { ...process.env }
afterEach(() => {
  process.env = { ...saved }
})

describe('parseDeployInputs', () => {
  it('takes GITHUB_SHA on a push, and the PR head on pull_request events', () => {
    process.env.GITHUB_SHA = SHA
    process.env.GITHUB_EVENT_NAME = 'push'
    expect(parseDeployInputs(raw(), context)).toMatchObject({
      commit: SHA,
      commitFrom: 'GITHUB_SHA',
      timeoutMs: 1_200_000
    })
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ev-')), 'event.json')
    writeFileSync(file, JSON.stringify({ pull_request: { head: { sha: HEAD } } }))
    process.env.GITHUB_EVENT_NAME = 'pull_request_target'
    process.env.GITHUB_EVENT_PATH = file
    expect(parseDeployInputs(raw(), context).commit).toBe(HEAD)
    expect(parseDeployInputs(raw({ commit: SHA.toUpperCase() }), context).commit).toBe(SHA)
  })

  it('timeouts: seconds, minutes, hours, bounded', () => {
    process.env.GITHUB_SHA = SHA
    expect(parseDeployInputs(raw({ timeout: '600' }), context).timeoutMs).toBe(600_000)
    expect(parseDeployInputs(raw({ timeout: '15m' }), context).timeoutMs).toBe(900_000)
    expect(parseDeployInputs(raw({ timeout: '1h' }), context).timeoutMs).toBe(3_600_000)
    for (const bad of ['5s', '7h', 'soon', '-1'])
      expect(() => parseDeployInputs(raw({ timeout: bad }), context)).toThrow(
        /`wait-timeout` must be a duration/
      )
  })

  it('refuses what cannot work, naming the inputs', () => {
    process.env.GITHUB_SHA = SHA
    expect(() => parseDeployInputs(raw(), { ...context, environment: '' })).toThrow(
      /needs `project` and `environment`/
    )
    expect(() => parseDeployInputs(raw(), { ...context, verifyToken: false })).toThrow(
      /`verify-token: false`/
    )
    expect(() =>
      parseDeployInputs(raw({ githubDeployment: true }), { ...context, githubToken: '' })
    ).toThrow(/`github-token` is empty .*deployments: write/)
    expect(() => parseDeployInputs(raw({ wait: false, githubDeployment: true }), context)).toThrow(
      /`github-deployment: true` needs `wait-for-deployment: true`/
    )
    expect(() => parseDeployInputs(raw({ commit: 'main' }), context)).toThrow(/full commit id/)
    expect(parseDeployInputs(raw({ wait: false }), { ...context, project: '' }).wait).toBe(false)
  })
})
