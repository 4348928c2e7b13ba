/** Network settings, tunable for slow networks (and made short by the test suite). */
/** Idle timeout: how long a connection may stay silent (connect, headers, between body bytes). */
const TIMEOUT_MS = positive(process.env.SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS, 30_000);
/**
 * Overall deadline of one request, headers and whole body: a server that
 * sends one byte a second never trips the idle timeout, but trips this.
 * Downloads get more time in proportion to their size (http.ts).
 */
const DEADLINE_MS = positive(process.env.SETUP_UPSUN_CLI_HTTP_DEADLINE_MS, 2 * TIMEOUT_MS);
const RETRY_BASE_MS = positive(process.env.SETUP_UPSUN_CLI_RETRY_BASE_MS, 1_000);
function positive(raw, fallback) {
    const n = Number(raw);
    return Number.isFinite(n) && n > 0 ? n : fallback;
}

export { DEADLINE_MS as D, RETRY_BASE_MS as R, TIMEOUT_MS as T };
