/** Network settings, tunable for slow networks (and made short by the test suite). */
export const TIMEOUT_MS = positive(process.env.SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS, 30_000)
export const RETRY_BASE_MS = positive(process.env.SETUP_UPSUN_CLI_RETRY_BASE_MS, 1_000)

function positive(raw: string | undefined, fallback: number): number {
  const n = Number(raw)
  return Number.isFinite(n) && n > 0 ? n : fallback
}
