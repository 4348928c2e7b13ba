// What each step loads, watched as it runs (sandbox/load-recorder.mjs): the
// speed of a cache hit rests on loading little, and `npm run bench` measures
// it. A cache hit reads the entry file and its start-up chunk and a few cheap
// built-ins; network, archive and exec code loads only in a step that needs it. The post step is one file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { startSandboxReleases } from '../../sandbox/index.mjs'
import { Job, ROOT } from '../../sandbox/runner.mjs'

type Sandbox = Awaited<ReturnType<typeof startSandboxReleases>>
let sandbox: Sandbox
let job: Job
const RECORDER = pathToFileURL(path.join(ROOT, 'sandbox', 'load-recorder.mjs')).href
const DIST = pathToFileURL(path.join(ROOT, 'dist')).href

/**
 * Built-ins in Node's start-up snapshot, or nearly so, plus crypto, which
 * @actions/core loads for each file command's random delimiter. Not
 * fs/promises (it loads readline and fs watchers), nor anything HTTP.
 */
const CHEAP_BUILTINS = ['node:fs', 'node:os', 'node:path', 'node:crypto']

/** Runs a step with the recorder; returns the step and what it loaded, dist/ paths made relative. */
async function recorded(
  step: (env: Record<string, string>) => ReturnType<Job['main']>
): Promise<{ result: Awaited<ReturnType<Job['main']>>; files: string[]; builtins: string[] }> {
  const record = path.join(job.root, `loads-${Date.now()}.json`)
  const result = await step({ NODE_OPTIONS: `--import ${RECORDER}`, LOAD_RECORD: record })
  const urls = JSON.parse(readFileSync(record, 'utf8')) as string[]
  return {
    result,
    files: urls.filter((u) => u.startsWith('file:')).map((u) => u.replace(`${DIST}/`, 'dist/')),
    builtins: urls.filter((u) => u.startsWith('node:')).sort()
  }
}

beforeAll(async () => {
  sandbox = await startSandboxReleases()
  const install = new Job()
  const first = await install.main({
    version: sandbox.version,
    'releases-url': sandbox.server.releasesUrl('upsun/cli')
  })
  if (first.exitCode !== 0) throw new Error(`the first install failed:\n${first.log}`)
  job = new Job({ toolCache: install.toolCache })
}, 300_000)
afterAll(async () => sandbox.server.close())

describe('a cache hit', () => {
  it('loads the entry, its start-up chunk and cheap built-ins, nothing else', async () => {
    const { result, files, builtins } = await recorded((env) =>
      job.main(
        { version: sandbox.version, 'releases-url': sandbox.server.releasesUrl('upsun/cli') },
        { env }
      )
    )
    expect(result.exitCode).toBe(0)
    expect(result.outputs['cache-hit']).toBe('true')
    expect(files).toEqual(['dist/index.cjs', 'dist/chunks/startup.cjs'])
    expect(builtins.length).toBeGreaterThan(0)
    for (const builtin of builtins) expect(CHEAP_BUILTINS).toContain(builtin)
  })
})

describe('the post step', () => {
  it('loads dist/cleanup.cjs alone, and built-ins', async () => {
    const { result, files, builtins } = await recorded((env) => job.post({ env }))
    expect(result.exitCode).toBe(0)
    expect(files).toEqual(['dist/cleanup.cjs'])
    expect(builtins).toContain('node:fs')
  })
})
