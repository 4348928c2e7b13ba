// An activity's NDJSON log against an undici MockAgent: read to its seal,
// reopened when it ends early, de-duplicated, bounded when it never seals.
import { describe, expect, it } from '@jest/globals'
import { noWait, useMockAgent } from '../../__fixtures__/network.js'
import { logUrl, readLogTail } from '../../src/deploy/log.js'

const API = 'https://api.example.test'
const agent = useMockAgent()
const item = (id: string, message: string) =>
  JSON.stringify({ _id: id, data: { message: `${message}\n` } })
const SEAL = JSON.stringify({ seal: true })
const source = {
  apiUrl: API,
  accessToken: 'access',
  href: '/api/projects/p/activities/a1/log?count=25',
  fallbackPath: '/projects/p/activities/a1/log'
}
const read = (keep = 3) =>
  readLogTail(source, keep, { dispatcher: agent(), sleep: noWait, pauseMs: 1 })
const answer = (body: string, status = 200) =>
  agent()
    .get(API)
    .intercept({ path: '/api/projects/p/activities/a1/log', method: 'GET' })
    .reply(status, body)

describe('activity log', () => {
  it('keeps the last lines up to the seal, with the access token, without the inherited query', async () => {
    let authorization = ''
    agent()
      .get(API)
      .intercept({ path: '/api/projects/p/activities/a1/log', method: 'GET' })
      .reply(200, (opts) => {
        authorization = String((opts.headers as Record<string, string>).authorization)
        return [
          item('1', 'one'),
          item('2', 'two\nthree'),
          item('3', 'four'),
          SEAL,
          item('4', 'after')
        ].join('\n')
      })
    await expect(read()).resolves.toEqual({ lines: ['two', 'three', 'four'], sealed: true })
    expect(authorization).toBe('Bearer access')
  })

  it('reopens a log that ended early, and does not repeat what it already had', async () => {
    answer([item('1', 'one'), item('2', 'two')].join('\n'))
    answer([item('1', 'one'), item('2', 'two'), item('3', 'three'), SEAL].join('\n'))
    await expect(read(10)).resolves.toEqual({ lines: ['one', 'two', 'three'], sealed: true })
  })

  it('a log that never seals is returned as far as it came, after three openings', async () => {
    for (let i = 0; i < 3; i++) answer(item('1', 'only line'))
    const tail = await read()
    expect(tail).toMatchObject({ lines: ['only line'], sealed: false })
    expect(tail.problem).toMatch(/without its seal/)
  })

  it('a refused log says why, and is not fatal', async () => {
    for (let i = 0; i < 3; i++) answer('{"message":"nope"}', 403)
    const tail = await read()
    expect(tail.sealed).toBe(false)
    expect(tail.problem).toMatch(/403/)
  })

  it('the link is followed on the API host only: elsewhere, the path is built from api-url', () => {
    expect(logUrl(source)).toBe(`${API}/api/projects/p/activities/a1/log`)
    expect(logUrl({ ...source, href: 'https://evil.example/steal' })).toBe(
      `${API}/projects/p/activities/a1/log`
    )
    expect(logUrl({ ...source, href: '' })).toBe(`${API}/projects/p/activities/a1/log`)
  })
})
