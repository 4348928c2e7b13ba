import { rm } from 'node:fs/promises'
import { ActionError } from './errors.js'
import type { ReleaseChannel } from './install.js'
import { assetName } from './platform.js'
import { exactRelease, type Release } from './release.js'

/**
 * The Go builds on GitHub Releases (or a mirror with the same layout): the
 * archive for this runner, verified against the release's checksums.txt.
 */
export const githubChannel: ReleaseChannel = {
  // Network modules (undici) are imported only here, when they are needed.
  async resolve(spec, inputs) {
    const { resolveRelease } = await import('./lookup.js')
    const release = await resolveRelease(spec, {
      releasesUrl: inputs.releasesUrl,
      githubToken: inputs.githubToken,
      serverUrl: process.env.GITHUB_SERVER_URL,
      apiUrl: process.env.GITHUB_API_URL
    })
    return release.version
  },

  describe(version, inputs) {
    const release = exactRelease(version, inputs.releasesUrl)
    return `${release.releasesUrl} (tag ${release.tag})`
  },

  async fetch(version, inputs, target, staging) {
    const release: Release = exactRelease(version, inputs.releasesUrl)
    const asset = assetName(inputs.cli.binary, version, target)
    const { downloadVerified } = await import('./download.js')
    const download = await downloadVerified(release, asset, target, staging)
    const binary = `${inputs.cli.binary}${target.exeSuffix}`
    const binarySha256 = download.files.get(binary)
    if (!binarySha256) {
      await rm(download.dir, { recursive: true, force: true })
      throw new ActionError(`${asset} does not contain ${binary}; nothing was installed.`)
    }
    return {
      dir: download.dir,
      bytes: download.bytes,
      record: {
        asset,
        source: 'checksums.txt',
        archiveSha256: download.sha256,
        binary,
        binarySha256,
        executable: binary
      }
    }
  }
}
