import type { VersionSpec } from '../inputs.js'
import type { Target } from './target.js'
import type { FetchedRecord } from './toolcache.js'

/*
 * The contract between the install flow (install.ts: tool cache, logs,
 * version check) and a place where a CLI is published (github/, phar.ts).
 */

/** One published version, as its channel resolved it. */
export interface Release {
  readonly version: string
  /** Where it is published, for the log: a releases page and tag, or a manifest. */
  readonly where: string
}

/** A verified download in a staging directory, ready for the tool cache. */
export interface Fetched {
  readonly dir: string
  readonly bytes: number
  readonly record: FetchedRecord
}

/**
 * Where a CLI is published. A channel resolves the `version` input to one
 * release (an exact version without any request), then downloads and
 * verifies that release into a staging directory.
 */
export interface ReleaseChannel<R extends Release = Release> {
  /** Checks what the CLI needs on the runner (e.g. PHP), before any download. */
  preflight?(): Promise<void>
  /** Resolves `latest`, an exact version or a range to one release. */
  resolve(spec: VersionSpec): Promise<R>
  /** Downloads and verifies `release` into a fresh staging directory. */
  fetch(release: R, target: Target, staging: () => Promise<string>): Promise<Fetched>
}
