// Release lookup (`latest` through the releases redirect, ranges through the
// REST API) against an undici MockAgent: no socket, no waiting between
// retries, no log lines in the test output.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { noWait, useMockAgent } from '../../../__fixtures__/network.js'
import * as core from '../../../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { resolveRelease } = await import('../../../src/install/github/lookup.js')
type ResolveOptions = import('../../../src/install/github/releases.js').ResolveOptions

const GITHUB = 'https://github.com'
const API = 'https://api.github.com'
const agent = useMockAgent()

beforeEach(() => {
  jest.resetAllMocks()
  core.resetCore()
})

const options: ResolveOptions = { releasesUrl: '', githubToken: '' }
const resolve = (spec: Parameters<typeof resolveRelease>[0], opts = options) =>
  resolveRelease(spec, opts, { dispatcher: agent(), sleep: noWait })

function latest(repo = 'upsun/cli') {
  return agent()
    .get(GITHUB)
    .intercept({ path: `/${repo}/releases/latest` })
}
function apiPage(repo: string, page: number) {
  return agent()
    .get(API)
    .intercept({ path: `/repos/${repo}/releases?per_page=100&page=${page}` })
}
const rel = (tag: string, extra: object = {}) => ({ tag_name: tag, ...extra })

describe('latest', () => {
  it('follows the web redirect to the tag, without the REST API', async () => {
    latest().reply(302, '', {
      headers: { location: 'https://github.com/upsun/cli/releases/tag/v5.11.1' }
    })
    await expect(resolve({ kind: 'latest' })).resolves.toEqual({
      version: '5.11.1',
      tag: 'v5.11.1',
      releasesUrl: 'https://github.com/upsun/cli/releases',
      where: 'https://github.com/upsun/cli/releases (tag v5.11.1)'
    })
    agent().assertNoPendingInterceptors()
  })

  it('reads a relative Location, with a query string, on a mirror', async () => {
    agent()
      .get('https://mirror.example.test')
      .intercept({ path: '/cli/releases/latest' })
      .reply(301, '', { headers: { location: '/cli/releases/tag/5.9.0?x=1' } })
    const release = await resolve(
      { kind: 'latest' },
      { ...options, releasesUrl: 'https://mirror.example.test/cli/releases' }
    )
    expect(release).toMatchObject({ version: '5.9.0', tag: '5.9.0' })
  })

  it('a 5xx is retried', async () => {
    latest().reply(503, 'busy')
    latest().reply(302, '', { headers: { location: '/upsun/cli/releases/tag/v6.0.0' } })
    await expect(resolve({ kind: 'latest' })).resolves.toMatchObject({ version: '6.0.0' })
    expect(core.info).toHaveBeenCalledWith(expect.stringMatching(/HTTP 503; retrying/))
  })

  it.each([
    ['no redirect (HTTP 200)', 200, {}],
    ['a redirect that is not a tag', 302, { location: 'https://github.com/login' }],
    ['a tag that is not a version', 302, { location: '/upsun/cli/releases/tag/nightly' }]
  ])('%s is refused with advice', async (_what, status, headers) => {
    latest().reply(status, '', { headers })
    await expect(resolve({ kind: 'latest' })).rejects.toThrow(
      /did not redirect to a release tag.*Pin an exact `version`/
    )
  })

  it('a 404 names releases-url', async () => {
    latest().reply(404, 'Not Found')
    await expect(resolve({ kind: 'latest' })).rejects.toThrow(
      /Could not resolve the latest release: https:\/\/github\.com\/upsun\/cli\/releases\/latest was not found \(HTTP 404\)\. Check `releases-url`\./
    )
  })
})

describe('ranges', () => {
  it('picks the highest stable match, skipping drafts and prereleases, with the token', async () => {
    let authorization = ''
    apiPage('upsun/cli', 1).reply(200, (opts) => {
      authorization = String((opts.headers as Record<string, string>).authorization)
      return [
        rel('v5.12.0-alpha1', { prerelease: true }),
        rel('v5.13.0', { draft: true }),
        rel('v5.11.1'),
        rel('v5.10.0'),
        rel('not-a-version'),
        { name: 'no tag' }
      ]
    })
    const release = await resolve(
      { kind: 'range', range: '5.x' },
      { ...options, githubToken: 'gh-token' }
    )
    expect(release).toMatchObject({ version: '5.11.1', tag: 'v5.11.1' })
    expect(authorization).toBe('Bearer gh-token')
  })

  it('reads further pages while they are full', async () => {
    apiPage('upsun/cli', 1).reply(
      200,
      Array.from({ length: 100 }, (_, i) => rel(`v5.10.${i}`))
    )
    apiPage('upsun/cli', 2).reply(200, [rel('v5.11.0')])
    await expect(resolve({ kind: 'range', range: '^5.10' })).resolves.toMatchObject({
      version: '5.11.0'
    })
    agent().assertNoPendingInterceptors()
  })

  it('falls back to platformsh/cli for versions before 5.10', async () => {
    apiPage('upsun/cli', 1).reply(200, [rel('v5.11.1')])
    apiPage('platformsh/cli', 1).reply(200, [rel('4.22.0'), rel('4.21.0')])
    await expect(resolve({ kind: 'range', range: '4.x' })).resolves.toMatchObject({
      version: '4.22.0',
      tag: '4.22.0',
      releasesUrl: 'https://github.com/platformsh/cli/releases'
    })
  })

  it('no match anywhere says where it looked', async () => {
    apiPage('upsun/cli', 1).reply(200, [rel('v5.11.1')])
    apiPage('platformsh/cli', 1).reply(200, [rel('4.22.0')])
    await expect(resolve({ kind: 'range', range: '9.x' })).rejects.toThrow(
      /No published release satisfies `version: 9\.x` \(looked in .*upsun\/cli.* and .*platformsh\/cli/
    )
  })

  it('an invalid range names the input', async () => {
    await expect(resolve({ kind: 'range', range: '>>>' })).rejects.toThrow(/`version`/)
  })

  it.each([
    ['429', 429, {}],
    ['403 with no requests left', 403, { 'x-ratelimit-remaining': '0' }]
  ])(
    'a rate limit (%s) says to pass github-token or pin a version',
    async (_w, status, headers) => {
      apiPage('upsun/cli', 1).reply(status, 'rate limited', { headers }).times(4)
      await expect(resolve({ kind: 'range', range: '5.x' })).rejects.toThrow(
        /rate limit was reached while trying to list releases \(HTTP \d+\)\. Pass a token in `github-token`/
      )
    }
  )

  it('an answer that is not a list is refused', async () => {
    apiPage('upsun/cli', 1).reply(200, { message: 'hello' })
    await expect(resolve({ kind: 'range', range: '5.x' })).rejects.toThrow(
      /did not answer with a list of releases/
    )
  })

  it('uses the run’s GitHub Enterprise API for a releases page on that server', async () => {
    agent()
      .get('https://ghe.example.test')
      .intercept({ path: '/api/v3/repos/acme/cli/releases?per_page=100&page=1' })
      .reply(200, [rel('v5.11.1')])
    const release = await resolve(
      { kind: 'range', range: '5.x' },
      {
        releasesUrl: 'https://ghe.example.test/acme/cli/releases',
        githubToken: '',
        serverUrl: 'https://ghe.example.test',
        apiUrl: 'https://ghe.example.test/api/v3'
      }
    )
    expect(release.releasesUrl).toBe('https://ghe.example.test/acme/cli/releases')
  })
})

describe('exact versions', () => {
  it('need no request at all', async () => {
    await expect(resolve({ kind: 'exact', version: '5.9.0' })).resolves.toMatchObject({
      tag: '5.9.0',
      releasesUrl: 'https://github.com/platformsh/cli/releases'
    })
  })
})
