// fs.promises, not node:fs/promises: loaded on first use, never on a cache hit
// without a token (see toolcache.ts).
import { promises as fsp } from 'node:fs'
import { ActionError } from '../../errors.js'
import type { ActionInputs } from '../../inputs.js'
import type { Network } from '../../net/network.js'
import type { ReleaseChannel } from '../channel.js'
import { assetName } from '../target.js'
import { exactRelease, type GitHubRelease } from './releases.js'

/**
 * The Go builds on GitHub Releases (or a mirror with the same layout): the
 * archive for this runner, verified against the release's checksums.txt.
 * Network modules (undici) are imported only when they are needed.
 */
export function githubChannel(
  inputs: ActionInputs,
  network: Network = {}
): ReleaseChannel<GitHubRelease> {
  return {
    async resolve(spec) {
      // An exact version needs no request: its tag and repository follow from it.
      if (spec.kind === 'exact') return exactRelease(spec.version, inputs.releasesUrl)
      const { resolveRelease } = await import('./lookup.js')
      return resolveRelease(
        spec,
        {
          releasesUrl: inputs.releasesUrl,
          githubToken: inputs.githubToken,
          serverUrl: process.env.GITHUB_SERVER_URL,
          apiUrl: process.env.GITHUB_API_URL
        },
        network
      )
    },

    async fetch(release, target, staging) {
      const asset = assetName(inputs.cli.binary, release.version, target)
      const { downloadVerified } = await import('../download.js')
      const download = await downloadVerified(release, asset, target, staging, network)
      const binary = `${inputs.cli.binary}${target.exeSuffix}`
      const binarySha256 = download.files.get(binary)
      if (!binarySha256) {
        await fsp.rm(download.dir, { recursive: true, force: true })
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
}
