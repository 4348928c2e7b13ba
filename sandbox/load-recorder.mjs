// Preloaded into a step (NODE_OPTIONS=--import …): records every module the
// step resolves, built-ins and files of dist/ alike, through Node's public
// module.registerHooks, and writes the list to LOAD_RECORD when it exits.
import { writeFileSync } from 'node:fs'
import { registerHooks } from 'node:module'

const seen = new Set()
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context)
    seen.add(resolved.url)
    return resolved
  }
})
process.on('exit', () => writeFileSync(String(process.env.LOAD_RECORD), JSON.stringify([...seen])))
