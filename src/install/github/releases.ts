import type { Release } from '../channel.js'

/** Where releases of 5.10.0 and later are published (tags `vX.Y.Z`). */
export const UPSUN_RELEASES = 'https://github.com/upsun/cli/releases'
/** Where releases of 5.9.0 and earlier are published (tags `X.Y.Z`). */
export const PLATFORMSH_RELEASES = 'https://github.com/platformsh/cli/releases'

/** Is `version` (X.Y.Z[-pre]) 5.10.0 or later, prereleases of 5.10.0 included? */
function fromUpsunRepo(version: string): boolean {
  const [major, minor] = version.split('.').map((n) => parseInt(n, 10))
  return major > 5 || (major === 5 && minor >= 10)
}

/** A release resolved to one version, its tag and where it is published. */
export interface GitHubRelease extends Release {
  readonly tag: string
  readonly releasesUrl: string
}

/** The release of `version` (tag `tag`) on the releases page `releasesUrl`. */
export function gitHubRelease(version: string, tag: string, releasesUrl: string): GitHubRelease {
  return { version, tag, releasesUrl, where: `${releasesUrl} (tag ${tag})` }
}

/** The git tag of a version: `v5.11.1` from 5.10.0 on, bare before. */
export function tagFor(version: string): string {
  return fromUpsunRepo(version) ? `v${version}` : version
}

/** The default release channel for a version (undefined: the newest). */
export function defaultReleasesUrl(version?: string): string {
  return version === undefined || fromUpsunRepo(version) ? UPSUN_RELEASES : PLATFORMSH_RELEASES
}

/** `{releases-url}/download/{tag}/{file}` */
export function downloadUrl(release: GitHubRelease, file: string): string {
  return `${release.releasesUrl}/download/${encodeURIComponent(release.tag)}/${encodeURIComponent(file)}`
}

/** An exact version needs no network: tag and channel follow from it. */
export function exactRelease(version: string, releasesUrl: string): GitHubRelease {
  return gitHubRelease(version, tagFor(version), releasesUrl || defaultReleasesUrl(version))
}

export interface ResolveOptions {
  /** The `releases-url` input; empty means the default channel(s). */
  releasesUrl: string
  githubToken: string
  /** GITHUB_SERVER_URL / GITHUB_API_URL of the run, for Enterprise. */
  serverUrl?: string
  apiUrl?: string
}
