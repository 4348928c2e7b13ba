/*
 * Built-ins loaded on first use rather than at start-up (or before a
 * download's first request). process.getBuiltinModule is synchronous, so
 * callers stay as they were.
 */

/**
 * node:crypto. @actions/core now loads it at start-up (a random delimiter for
 * each file command), so this saves a cache hit nothing any more.
 */
export function lazyCrypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto')
}

/** node:zlib: wanted only once an archive's answer is here. */
export function lazyZlib(): typeof import('node:zlib') {
  return process.getBuiltinModule('node:zlib')
}
