import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { untrustedCodeWarning } from '../../src/auth/untrustedCode.js'

function payloadFile(payload: unknown): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'event-')), 'event.json')
  writeFileSync(file, JSON.stringify(payload))
  return file
}
const repo = { id: 1, full_name: 'acme/site' }
const fork = { id: 2, full_name: 'mallory/site' }

describe('untrustedCodeWarning', () => {
  it('warns on pull_request_target, naming the variable later steps get', () => {
    const warning = untrustedCodeWarning('UPSUN_CLI_TOKEN', {
      GITHUB_EVENT_NAME: 'pull_request_target'
    })
    expect(warning).toMatch(/`pull_request_target`.*UPSUN_CLI_TOKEN for every later step/)
  })

  it('warns on workflow_run for a fork, and names the fork', () => {
    const env = {
      GITHUB_EVENT_NAME: 'workflow_run',
      GITHUB_EVENT_PATH: payloadFile({ repository: repo, workflow_run: { head_repository: fork } })
    }
    expect(untrustedCodeWarning('UPSUN_CLI_TOKEN', env)).toMatch(/fork mallory\/site/)
  })

  it('says nothing on workflow_run from the repository itself', () => {
    const env = {
      GITHUB_EVENT_NAME: 'workflow_run',
      GITHUB_EVENT_PATH: payloadFile({ repository: repo, workflow_run: { head_repository: repo } })
    }
    expect(untrustedCodeWarning('UPSUN_CLI_TOKEN', env)).toBeUndefined()
  })

  it('warns when a workflow_run payload cannot be read (it may come from a fork)', () => {
    const env = { GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: '/nonexistent/event.json' }
    expect(untrustedCodeWarning('UPSUN_CLI_TOKEN', env)).toMatch(/could not be read/)
  })

  it.each(['push', 'pull_request', 'schedule', 'workflow_dispatch', undefined])(
    'says nothing on %s',
    (event) => {
      expect(untrustedCodeWarning('UPSUN_CLI_TOKEN', { GITHUB_EVENT_NAME: event })).toBeUndefined()
    }
  )
})
