// The contract between action.yml, the code and the README: every input the
// action reads is declared, every declared input is read, and the README's
// tables list exactly the inputs and outputs of action.yml.
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { parse } from 'yaml'
import { INPUT_NAMES } from '../src/inputs.js'

const action = parse(readFileSync('action.yml', 'utf8')) as {
  name: string
  description: string
  branding: { icon: string; color: string }
  inputs: Record<string, { description: string; default?: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string; post: string }
}
const readme = readFileSync('README.md', 'utf8')
const table = readme.slice(
  readme.indexOf('<!-- BEGIN_AUTOGEN_INPUTS -->'),
  readme.indexOf('<!-- END_AUTOGEN_INPUTS -->')
)
const namesIn = (heading: string): string[] => {
  const section = table.slice(table.indexOf(heading)).split('\n### ')[0]
  return [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1])
}

describe('action.yml', () => {
  it('runs on node24 with a main and a post step from dist/', () => {
    expect(action.runs).toEqual({
      using: 'node24',
      main: 'dist/index.cjs',
      post: 'dist/cleanup.cjs'
    })
    expect(action.name).not.toMatch(/hello/i)
    expect(action.branding.icon).toBeTruthy()
  })

  it('declares exactly the inputs the code reads, each documented', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_NAMES].sort())
    for (const spec of Object.values(action.inputs))
      expect(spec.description.length).toBeGreaterThan(20)
  })

  it('the code sets only declared outputs, and every declared output is set', () => {
    const src = readdirSync('src', { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(`src/${f}`, 'utf8'))
      .join('\n')
    const set = [...src.matchAll(/setOutput\('([a-z-]+)'/g)].map((m) => m[1])
    expect([...new Set(set)].sort()).toEqual(Object.keys(action.outputs).sort())
  })

  it('README lists every input and output, and nothing else', () => {
    expect(namesIn('### Inputs')).toEqual(Object.keys(action.inputs))
    expect(namesIn('### Outputs')).toEqual(Object.keys(action.outputs))
  })

  it('the GHES-safe github-token default never sends an Enterprise token to github.com', () => {
    expect(action.inputs['github-token'].default).toBe(
      "${{ github.server_url == 'https://github.com' && github.token || '' }}"
    )
  })
})
