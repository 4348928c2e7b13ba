// tool-cache's lookup for a version range, in a module of its own that
// toolcache.ts loads with import(): only what find needs is bundled into its
// chunk (not tool-cache's HTTP client), and none of it loads on an exact hit.
import { find } from '@actions/tool-cache'
import * as path from 'node:path'

/** The highest complete cached version that satisfies `range` (tc.find's choice), if any. */
export function highestCached(tool: string, range: string, arch: string): string | undefined {
  const dir = find(tool, range, arch)
  return dir ? path.basename(path.dirname(dir)) : undefined
}
