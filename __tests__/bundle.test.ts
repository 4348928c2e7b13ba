// What a cache hit loads, read from the built dist/ (jest's globalSetup
// rebuilds it when stale). Its speed is measured by `npm run bench`, never
// timed here; this keeps the structure that speed rests on: the main step
// starts from two files, which import only Node built-ins that cost nothing
// extra at start-up. Network, archive, exec and node:crypto code must be
// reached through import(), where a step that needs it loads it.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'

const DIST = path.join(import.meta.dirname, '..', 'dist')

/** The static imports of a bundled ES module (not its import() calls). */
function staticImports(file: string): string[] {
  const source = readFileSync(path.join(DIST, file), 'utf8')
  return [
    ...source.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)';?$|^import\s+'([^']+)';?$/gm)
  ].map((m) => m[1] ?? m[2] ?? '')
}

/** Built-ins the start-up may import: already in Node's snapshot, or a few files read. */
const CHEAP_BUILTINS = ['node:fs', 'node:fs/promises', 'node:os', 'node:path']

describe('the main step’s start-up (dist/index.js)', () => {
  it('imports only its start-up chunk', () => {
    expect(staticImports('index.js').filter((s) => !s.startsWith('node:'))).toEqual([
      './chunks/startup.js'
    ])
  })

  it('whose static imports are a few cheap built-ins: no other chunk, no node:crypto', () => {
    const imports = staticImports('chunks/startup.js')
    expect(imports.length).toBeGreaterThan(0)
    for (const source of imports) expect(CHEAP_BUILTINS).toContain(source)
  })

  it('reaches the network, archives and exec only through import()', () => {
    const source = readFileSync(path.join(DIST, 'chunks', 'startup.js'), 'utf8')
    const lazy = [...source.matchAll(/import\('([^']+)'\)/g)].map((m) => m[1])
    expect(lazy).toEqual(expect.arrayContaining(['./download.js', './exec.js']))
  })
})

describe('the post step (dist/cleanup.js)', () => {
  it('is one file, importing only built-ins', () => {
    for (const source of staticImports('cleanup.js')) expect(source).toMatch(/^node:/)
    expect(readFileSync(path.join(DIST, 'cleanup.js'), 'utf8')).not.toMatch(/import\('\.\//)
  })
})
