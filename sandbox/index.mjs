// The built-in loopback sandbox, assembled: release fixtures packed from the
// real CLI, and the GitHub-Releases-like server that serves them.
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import path from 'node:path'
import { FIXTURES_DIR, packRelease, realCliVersion } from './fixtures.mjs'
import { startReleaseServer } from './releases.mjs'

/**
 * Packs the standard fixtures (cached in .fixtures/) and serves them.
 * @param {{ port?: number }} [options] a fixed loopback port; a free one by default
 */
export async function startSandboxReleases({ port = 0 } = {}) {
  const real = realCliVersion()
  // The real CLI for linux_amd64; native stand-ins of the same version for
  // the other platforms the release publishes (the emulated suites run them).
  const upsunReal = packRelease({
    binary: 'upsun',
    version: real,
    real: true,
    suffixes: ['linux_amd64', 'linux_arm64', 'windows_amd64', 'darwin_all']
  })
  const upsunOld = packRelease({
    binary: 'upsun',
    version: '5.10.0',
    real: false,
    suffixes: ['linux_amd64', 'windows_amd64']
  })
  const platformReal = packRelease({ binary: 'platform', version: real, real: true })
  const legacy = packRelease({
    binary: 'upsun',
    version: '5.9.0',
    real: false,
    suffixes: ['linux_amd64']
  })
  const legacyPlatform = packRelease({ binary: 'platform', version: '5.9.0', real: false })
  const server = await startReleaseServer({
    port,
    repos: {
      'upsun/cli': [
        { tag: 'v5.12.0-alpha1', dir: upsunOld.dir, prerelease: true },
        { tag: `v${real}`, dir: joinDirs(upsunReal.dir, platformReal.dir) },
        { tag: 'v5.10.0', dir: upsunOld.dir }
      ],
      'platformsh/cli': [{ tag: '5.9.0', dir: joinDirs(legacy.dir, legacyPlatform.dir) }]
    }
  })
  return { server, version: real }
}

/** One release holding the assets of several packed dirs, with one checksums.txt. */
function joinDirs(...dirs) {
  const name = dirs.map((d) => path.basename(d)).join('+')
  const out = path.join(FIXTURES_DIR, name)
  mkdirSync(out, { recursive: true })
  const sums = []
  for (const dir of dirs) {
    for (const file of readdirSync(dir)) {
      if (file === 'checksums.txt') sums.push(readFileSync(path.join(dir, file), 'utf8').trim())
      else if (!file.startsWith('.') && !existsSync(path.join(out, file)))
        symlinkSync(path.join(dir, file), path.join(out, file))
    }
  }
  writeFileSync(path.join(out, 'checksums.txt'), sums.join('\n') + '\n')
  return out
}
