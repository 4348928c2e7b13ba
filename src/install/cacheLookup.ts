// tool-cache's lookups, in a module of their own that toolcache.ts loads with
// import(): only what find and findAllVersions need is bundled into its chunk
// (not tool-cache's HTTP client), and nothing of it loads at start-up.
import { find, findAllVersions } from '@actions/tool-cache'
import semver from 'semver'

/** The entry's directory when tool-cache sees it complete (dir + `.complete`), else ''. */
export function findEntry(tool: string, version: string, arch: string): string {
  return find(tool, version, arch)
}

/** The highest complete cached version that satisfies `range`. */
export function highestCached(tool: string, range: string, arch: string): string | undefined {
  return semver.maxSatisfying(findAllVersions(tool, arch), range) ?? undefined
}
