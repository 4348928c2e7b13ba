// The contract between action.yml, the code and the README: every input the
// action reads is declared, every declared input is read, and the README's
// tables are the ones action.yml generates.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { parse } from 'yaml'
import { INPUT_NAMES } from '../src/inputs.js'

const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string; post: string }
}

describe('action.yml', () => {
  it('runs on node24 with a main and a post step from dist/', () => {
    expect(action.runs).toEqual({
      using: 'node24',
      main: 'dist/index.cjs',
      post: 'dist/cleanup.cjs'
    })
  })

  it('declares exactly the inputs the code reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_NAMES].sort())
  })

  it('the code sets only declared outputs, and every declared output is set', () => {
    const src = readdirSync('src', { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(`src/${f}`, 'utf8'))
      .join('\n')
    const set = [...src.matchAll(/setOutput\('([a-z-]+)'/g)].map((m) => m[1])
    expect([...new Set(set)].sort()).toEqual(Object.keys(action.outputs).sort())
  })

  it("README's tables say what action.yml says, every input and output (npm run readme)", () => {
    const check = spawnSync(process.execPath, ['scripts/readme.mjs', '--check'], {
      encoding: 'utf8'
    })
    expect(check.stdout + check.stderr).toBe('')
    expect(check.status).toBe(0)
  })

  it('the GHES-safe github-token default never sends an Enterprise token to github.com', () => {
    expect(action.inputs['github-token'].default).toBe(
      "${{ github.server_url == 'https://github.com' && github.token || '' }}"
    )
  })
})
