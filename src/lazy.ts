/*
 * Built-ins loaded on first use rather than at start-up (or before a
 * download's first request). process.getBuiltinModule is synchronous, so
 * callers stay as they were.
 */

/** node:crypto: about 5 ms of a 25 ms Node start here (perf stat, 30 runs); a cache hit needs none of it. */
export function lazyCrypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto')
}

/** node:zlib: about 2 ms; wanted only once an archive's answer is here. */
export function lazyZlib(): typeof import('node:zlib') {
  return process.getBuiltinModule('node:zlib')
}
