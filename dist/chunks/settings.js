/** Network settings, tunable for slow networks (and made short by the test suite). */
const TIMEOUT_MS = positive(process.env.SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS, 30_000);
const RETRY_BASE_MS = positive(process.env.SETUP_UPSUN_CLI_RETRY_BASE_MS, 1_000);
function positive(raw, fallback) {
    const n = Number(raw);
    return Number.isFinite(n) && n > 0 ? n : fallback;
}

export { RETRY_BASE_MS as R, TIMEOUT_MS as T };
