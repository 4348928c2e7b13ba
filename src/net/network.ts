import type { Dispatcher } from 'undici'

/**
 * What a caller may inject into every function that reaches the network.
 * The action itself passes nothing; unit tests pass an undici `MockAgent`
 * (so no socket is opened) and an instant `sleep` (so retries do not wait).
 */
export interface Network {
  /** Where requests go; default: node:http direct, undici through a proxy (transport.ts). */
  readonly dispatcher?: Dispatcher
  /** The wait between retries; default: a real timer. */
  readonly sleep?: (ms: number) => Promise<void>
}
