import commonjs from '@rollup/plugin-commonjs'
import nodeResolve from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'
import { fileURLToPath } from 'node:url'

/**
 * `undici` in our own sources means only the parts we use (see
 * src/net/undici-lite.mjs for why); undici's files themselves are untouched.
 */
const undiciLite = {
  name: 'undici-lite',
  resolveId(source, importer) {
    if (source === 'undici' && importer && !importer.includes('/node_modules/'))
      return fileURLToPath(new URL('src/net/undici-lite.mjs', import.meta.url))
    return null
  }
}

// Warnings that are known and harmless: circular imports inside dependencies,
// undici 7's optional `node:sqlite`, and top-level `this` in dependencies' helpers. Anything else fails the build, so
// type errors (reported by the typescript plugin as warnings) never ship.
/** @param {import('rollup').RollupLog} warning */
function onwarn(warning) {
  if (
    warning.code === 'CIRCULAR_DEPENDENCY' &&
    warning.ids?.every((id) => id.includes('node_modules'))
  )
    return
  if (warning.code === 'UNRESOLVED_IMPORT' && warning.exporter === 'node:sqlite') return
  // TypeScript's emitted helpers in dependencies (`this && this.__awaiter`).
  if (warning.code === 'THIS_IS_UNDEFINED' && warning.id?.includes('node_modules')) return
  throw new Error(`rollup: ${warning.message}`)
}

/** @type {import('rollup').RollupOptions} */
const config = {
  // Two entries, one shared set of chunks: the main step loads download and
  // HTTP code (undici) with import() only when it has to download or check a
  // token, so a tool-cache hit starts fast (architecture.md section 5).
  input: { index: 'src/index.ts', cleanup: 'src/cleanup.ts' },
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    // Stable names (no content hash) keep dist/ diffs readable.
    chunkFileNames: 'chunks/[name].js',
    generatedCode: 'es2015'
  },
  // @actions/* are side-effect-free ESM: unused imports (core's OIDC client,
  // which pulls in an HTTP stack) are dropped. Everything else keeps its
  // side effects. The end-to-end tests run this bundle, so a wrong drop fails them.
  treeshake: { moduleSideEffects: (id) => !id.includes('/node_modules/@actions/') },
  plugins: [
    undiciLite,
    typescript({ tsconfig: 'tsconfig.json' }),
    nodeResolve({ preferBuiltins: true }),
    // tar-stream reads `fs` (for its packer's constants) with a require()
    // inside try/catch, which the plugin would leave as a bare `require` that
    // ESM lacks; turn that one into an import of Node's own `fs`. (Its
    // package.json `imports` map names `bare-fs` only for the Bare runtime.)
    commonjs({ ignoreTryCatch: (id) => id !== 'fs' })
  ],
  onwarn
}

export default config
