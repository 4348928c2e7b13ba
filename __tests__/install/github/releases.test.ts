import { describe, expect, it } from '@jest/globals'
import { parseChecksums } from '../../../src/install/download.js'
import { apiReleasesUrl } from '../../../src/install/github/lookup.js'
import {
  PLATFORMSH_RELEASES,
  UPSUN_RELEASES,
  defaultReleasesUrl,
  downloadUrl,
  exactRelease,
  tagFor
} from '../../../src/install/github/releases.js'

describe('version → tag and repository', () => {
  it.each([
    ['5.11.1', 'v5.11.1', UPSUN_RELEASES],
    ['5.10.0', 'v5.10.0', UPSUN_RELEASES],
    ['5.10.0-alpha1', 'v5.10.0-alpha1', UPSUN_RELEASES],
    ['5.9.0', '5.9.0', PLATFORMSH_RELEASES],
    ['4.6.1', '4.6.1', PLATFORMSH_RELEASES],
    ['6.0.0', 'v6.0.0', UPSUN_RELEASES]
  ])('%s → tag %s on %s', (version, tag, repo) => {
    expect(tagFor(version)).toBe(tag)
    expect(defaultReleasesUrl(version)).toBe(repo)
    expect(exactRelease(version, '')).toEqual({
      version,
      tag,
      releasesUrl: repo,
      where: `${repo} (tag ${tag})`
    })
  })

  it('latest lives on upsun/cli', () => {
    expect(defaultReleasesUrl()).toBe(UPSUN_RELEASES)
  })

  it('a mirror keeps the tag format of the version', () => {
    const release = exactRelease('5.9.0', 'https://mirror.example.com/cli/releases')
    expect(downloadUrl(release, 'checksums.txt')).toBe(
      'https://mirror.example.com/cli/releases/download/5.9.0/checksums.txt'
    )
  })
})

describe('apiReleasesUrl', () => {
  it('maps github.com to api.github.com', () => {
    expect(apiReleasesUrl(UPSUN_RELEASES, {})).toBe(
      'https://api.github.com/repos/upsun/cli/releases'
    )
  })

  it('maps the run’s Enterprise server to its API', () => {
    expect(
      apiReleasesUrl('https://ghe.example.com/tools/cli/releases', {
        serverUrl: 'https://ghe.example.com',
        apiUrl: 'https://ghe.example.com/api/v3'
      })
    ).toBe('https://ghe.example.com/api/v3/repos/tools/cli/releases')
  })

  it('says ranges need the API for any other mirror', () => {
    expect(() =>
      apiReleasesUrl('https://mirror.example.com/cli/releases', {
        serverUrl: 'https://github.com',
        apiUrl: 'https://api.github.com'
      })
    ).toThrow(/version range needs the GitHub releases API.*exact version or `latest`/)
  })
})

describe('parseChecksums', () => {
  it('reads GoReleaser lines and ignores anything else', () => {
    const a = 'a'.repeat(64)
    const b = 'B'.repeat(64)
    const sums = parseChecksums(
      `${a}  upsun_5.11.1_linux_amd64.tar.gz\r\n${b} *upsun.zip\nnoise\n\n`
    )
    expect([...sums]).toEqual([
      ['upsun_5.11.1_linux_amd64.tar.gz', a],
      ['upsun.zip', 'b'.repeat(64)]
    ])
  })
})
