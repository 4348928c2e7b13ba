// What a cache hit loads, read from the built dist/ (jest's globalSetup
// rebuilds it when stale). Its speed is measured by `npm run bench`, never
// timed here; this keeps the structure that speed rests on: the main step
// starts from two CommonJS files, which load only Node built-ins that cost
// little at start-up. Network, archive and exec code must
// be reached through import() (a require() inside a promise in the bundle),
// where a step that needs it loads it.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'

const DIST = path.join(import.meta.dirname, '..', 'dist')
const read = (file: string): string => readFileSync(path.join(DIST, file), 'utf8')

/** The modules a bundled file requires as it loads (its top-level require() lines). */
function loadedAtStart(file: string): string[] {
  return [...read(file).matchAll(/^(?:const \w+ = )?require\('([^']+)'\);$/gm)].map(
    (m) => m[1] ?? ''
  )
}

/** The modules it requires only when a step gets there (rollup's form of import()). */
function loadedLater(file: string): string[] {
  return [
    ...read(file).matchAll(/Promise\.resolve\(\)\.then\(\(\) => require\('([^']+)'\)\)/g)
  ].map((m) => m[1] ?? '')
}

/**
 * Built-ins the start-up may load: in Node's snapshot, or nearly so, plus
 * crypto, which @actions/core loads for each file command's random delimiter.
 * Not fs/promises (it loads readline and fs watchers), nor anything HTTP.
 */
const CHEAP_BUILTINS = ['fs', 'os', 'path', 'crypto']
const builtin = (source: string) => source.replace(/^node:/, '')

describe('the main step’s start-up (dist/index.cjs)', () => {
  it('loads only its start-up chunk', () => {
    expect(loadedAtStart('index.cjs').filter((s) => !s.startsWith('node:'))).toEqual([
      './chunks/startup.cjs'
    ])
  })

  it('whose own loads are a few cheap built-ins: no other chunk, no HTTP or fs/promises', () => {
    const loaded = loadedAtStart('chunks/startup.cjs')
    expect(loaded.length).toBeGreaterThan(0)
    for (const source of loaded) expect(CHEAP_BUILTINS).toContain(builtin(source))
  })

  it('reaches the network, archives and exec only when a step needs them', () => {
    expect(loadedLater('chunks/startup.cjs')).toEqual(
      expect.arrayContaining(['./http.cjs', './download.cjs', './exec.cjs'])
    )
  })
})

describe('the post step (dist/cleanup.cjs)', () => {
  it('is one file, loading only built-ins', () => {
    const loaded = loadedAtStart('cleanup.cjs')
    expect(loaded.length).toBeGreaterThan(0)
    for (const source of loaded) expect(source).not.toMatch(/^\./)
    expect(loadedLater('cleanup.cjs')).toEqual([])
  })
})
