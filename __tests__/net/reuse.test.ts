// A pooled connection is kept idle for one second only (src/net/client.ts), and a
// request that reuses it must get the full idle timeout back, not that
// second: here the server takes 1.3 s to answer the second request on the
// same connection, within TIMEOUT_MS (2 s) but past the keep-alive.
// (Settings differ from client.test.ts's, hence a file of its own.)
import { afterAll, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

process.env.SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS = '2000'
process.env.SETUP_UPSUN_CLI_HTTP_DEADLINE_MS = '10000'
for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy'])
  delete process.env[name]

let server: http.Server | undefined
afterAll(async () => {
  const { closeHttp } = await import('../../src/net/http.js')
  await closeHttp()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
})

it('a reused connection waits the full idle timeout, not the keep-alive', async () => {
  const { send } = await import('../../src/net/http.js')
  let requests = 0
  let connections = 0
  server = http.createServer((_req, res) => {
    requests++
    if (requests === 1) res.end('first')
    else setTimeout(() => res.end('second'), 1300)
  })
  server.on('connection', () => connections++)
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`
  expect(await (await send(url)).body.text()).toBe('first')
  expect(await (await send(url)).body.text()).toBe('second')
  expect(connections).toBe(1)
})
