// The module graph of src/: no import cycles (each module owns one concern and
// builds on the ones below it), and the network layer never reaches into the
// install logic above it. Imports are read with TypeScript's own parser.
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

const SRC = path.join(import.meta.dirname, '..', 'src')
const modules = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.(ts|mjs)$/.test(f) && !f.endsWith('.d.ts'))
  .map((f) => f.split(path.sep).join('/'))

/** The modules of src/ that `file` imports (relative specifiers; `.js` names the `.ts`). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(path.join(SRC, file), 'utf8'), true)
  return importedFiles
    .map((i) => i.fileName)
    .filter((s) => s.startsWith('.'))
    .map((s) => path.posix.join(path.posix.dirname(file), s).replace(/\.js$/, '.ts'))
    .filter((m) => modules.includes(m))
}
const graph = new Map(modules.map((m) => [m, importsOf(m)]))

/** Every cycle, each as the path that closes it. */
function cycles(): string[][] {
  const found: string[][] = []
  const done = new Set<string>()
  const visit = (m: string, trail: string[]): void => {
    const at = trail.indexOf(m)
    if (at >= 0) return void found.push([...trail.slice(at), m])
    if (done.has(m)) return
    for (const next of graph.get(m) ?? []) visit(next, [...trail, m])
    done.add(m)
  }
  for (const m of modules) visit(m, [])
  return found
}

describe('src/ imports', () => {
  it('are read: main.ts imports modules of src/', () => {
    expect(graph.get('main.ts')?.length).toBeGreaterThan(3)
  })

  it('form no cycle', () => {
    expect(cycles().map((c) => c.join(' → '))).toEqual([])
  })

  it('never go from net/ to install/', () => {
    const upward = [...graph]
      .filter(([m]) => m.startsWith('net/'))
      .flatMap(([m, deps]) =>
        deps.filter((d) => d.startsWith('install/')).map((d) => `${m} → ${d}`)
      )
    expect(upward).toEqual([])
  })
})
