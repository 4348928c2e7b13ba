// Regenerates README.md's inputs and outputs tables from action.yml, between
// the <!-- BEGIN_AUTOGEN_INPUTS --> / <!-- END_AUTOGEN_INPUTS --> markers.
// `npm run readme` writes; `node scripts/readme.mjs --check` exits 1 if stale.
import { readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'yaml'

const action = parse(readFileSync('action.yml', 'utf8'))
const oneLine = (text) =>
  String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\|/g, '\\|')
const shownDefault = (value) => {
  const v = String(value ?? '')
  if (v.includes('${{')) return 'the job’s token on github.com, empty on Enterprise'
  return v === '' ? '(empty)' : `\`${v}\``
}
const rows = [
  '### Inputs',
  '',
  '| Input | Default | Description |',
  '| --- | --- | --- |',
  ...Object.entries(action.inputs).map(
    ([name, spec]) =>
      `| \`${name}\` | ${shownDefault(spec.default)} | ${oneLine(spec.description)} |`
  ),
  '',
  '### Outputs',
  '',
  '| Output | Description |',
  '| --- | --- |',
  ...Object.entries(action.outputs).map(
    ([name, spec]) => `| \`${name}\` | ${oneLine(spec.description)} |`
  )
].join('\n')

const readme = readFileSync('README.md', 'utf8')
const next = readme.replace(
  /(<!-- BEGIN_AUTOGEN_INPUTS -->)[\s\S]*?(<!-- END_AUTOGEN_INPUTS -->)/,
  `$1\n${rows}\n$2`
)
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.log('README.md inputs/outputs tables are stale: run npm run readme')
    process.exit(1)
  }
} else {
  writeFileSync('README.md', next)
}
