'use strict';

Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });

const startup = require('./startup.cjs');
const failures = require('./failures.cjs');

/*
 * The body caps and the overall deadline of one request (http.ts rules 4
 * and 5): a body that enforces both as it is read.
 */
/** Error bodies are read for their message only. */
const MAX_ERROR_BYTES = 16 * 1024;
/** A body over its cap: refused, never drained. */
class BodyTooLarge extends startup.ActionError {
    constructor(url, limit, declared) {
        super(`${failures.redact(url)} sent ${declared === undefined ? 'more than' : `a ${declared}-byte answer, more than`} ${limit} bytes, ` +
            `far more than this request ever needs; it was refused ${declared === undefined ? 'there, not read further' : 'unread'}. ` +
            'Is the URL right, or is a proxy answering in its place?');
        this.name = 'BodyTooLarge';
    }
}
/** The first `limit` bytes of a body; the rest is not read (the connection is dropped). */
async function readPrefix(body, limit) {
    const chunks = [];
    let size = 0;
    try {
        for await (const chunk of body) {
            chunks.push(chunk.subarray(0, limit - size));
            size += chunk.length;
            if (size >= limit) {
                body.destroy();
                break;
            }
        }
    }
    catch {
        // A body cut while we read an error is still the same error.
    }
    return Buffer.concat(chunks);
}
function cappedBody(body, url, limit, deadline) {
    async function* chunks() {
        let size = 0;
        let complete = false;
        try {
            for await (const chunk of body) {
                size += chunk.length;
                if (size > limit)
                    throw new BodyTooLarge(url, limit);
                yield chunk;
            }
            complete = true;
        }
        catch (error) {
            throw deadline.explain(error);
        }
        finally {
            deadline.clear();
            if (!complete)
                body.destroy();
        }
    }
    const text = async () => {
        const parts = [];
        for await (const chunk of chunks())
            parts.push(chunk);
        return Buffer.concat(parts).toString('utf8');
    };
    return {
        [Symbol.asyncIterator]: chunks,
        text,
        json: async () => JSON.parse(await text()),
        async dump() {
            deadline.clear();
            await readPrefix(body, MAX_ERROR_BYTES);
        },
        destroy() {
            deadline.clear();
            body.destroy();
        }
    };
}
/**
 * The overall deadline of one request. It aborts the request through its
 * signal, and also rejects on its own: undici does not abort a CONNECT to a
 * proxy that never answers when the signal fires.
 */
class Deadline {
    url;
    controller = new AbortController();
    started = Date.now();
    timer;
    ms;
    expired = false;
    expiry;
    rejectExpiry = () => undefined;
    constructor(url, ms) {
        this.url = url;
        this.ms = ms;
        this.expiry = new Promise((_, reject) => (this.rejectExpiry = reject));
        this.expiry.catch(() => undefined);
        this.arm();
    }
    get signal() {
        return this.controller.signal;
    }
    /** Gives the whole request `ms` from its start instead. */
    extend(ms) {
        this.ms = ms;
        this.arm();
    }
    clear() {
        clearTimeout(this.timer);
    }
    /** The deadline's own error when it is what ended the request. */
    explain(error) {
        return this.expired && !(error instanceof startup.ActionError) ? this.error(error) : error;
    }
    /** Waits for `pending` unless the deadline passes first. */
    async race(pending) {
        // If the deadline wins, whatever arrives later is dropped, never left open.
        pending.then((late) => this.expired && late.body.destroy()).catch(() => undefined);
        return Promise.race([pending, this.expiry]);
    }
    arm() {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => {
            this.expired = true;
            const error = this.error();
            this.controller.abort(error);
            this.rejectExpiry(error);
        }, Math.max(0, this.started + this.ms - Date.now()));
        // A pending request keeps the process alive by itself; the timer need not.
        this.timer.unref();
    }
    error(cause) {
        return new failures.DeadlineError(this.url, this.ms, cause);
    }
}

let undici;
/** The dispatchers made from the proxy variables at the first request (closeClient() forgets them). */
let made;
async function transmit(exchange) {
    const lib = await (undici ??= Promise.resolve().then(() => require('./undici.cjs')).then(n => n.index));
    // undici's pool frees a connection one macrotask after its body ended; a
    // request sent sooner (the next redirect hop) would open another.
    await new Promise((resolve) => setImmediate(resolve));
    const dispatcher = exchange.dispatcher ?? (made ??= dispatchers(lib)).dispatcher;
    const { statusCode, headers, body } = await lib.request(exchange.url, {
        method: exchange.method,
        headers: exchange.headers,
        body: exchange.body,
        signal: exchange.signal,
        dispatcher
    });
    return { statusCode, headers, body };
}
/** Closes every pooled connection, in use or idle (a hung CONNECT included), so that Node can exit at once. */
async function closeClient() {
    const all = made?.all ?? [];
    made = undefined;
    await Promise.allSettled(all.map((d) => d.destroy()));
}
/**
 * One idle timeout for connecting (TLS included), waiting for the headers
 * and every pause in the body; idle pooled connections are kept a second
 * (`version: latest` makes three requests in a row to one host) and undici
 * unrefs them, so they never hold the process open.
 */
const TIMEOUTS = {
    connectTimeout: startup.TIMEOUT_MS,
    headersTimeout: startup.TIMEOUT_MS,
    bodyTimeout: startup.TIMEOUT_MS,
    keepAliveTimeout: 1_000,
    keepAliveMaxTimeout: 1_000
};
function dispatchers({ Agent, EnvHttpProxyAgent, Pool }) {
    const direct = new Agent(TIMEOUTS);
    const httpProxy = proxyVariable('http_proxy', 'HTTP_PROXY');
    const httpsProxy = proxyVariable('https_proxy', 'HTTPS_PROXY');
    if (!httpProxy && !httpsProxy)
        return { dispatcher: direct, all: [direct] };
    const proxied = new EnvHttpProxyAgent({
        ...TIMEOUTS,
        // Given here (undici would read them too) so that a value without a
        // scheme is taken as http://, as curl does; '' means none.
        httpProxy: httpProxy ?? '',
        httpsProxy: httpsProxy ?? '',
        // The connection to the proxy itself (its CONNECT answer included) gets
        // the same timeouts; undici's default would wait five minutes.
        clientFactory: (origin, options) => new Pool(origin, { ...options, ...TIMEOUTS })
    });
    const loopbackDirect = (dispatch) => (options, handler) => startup.isLoopbackHost(new URL(String(options.origin)).hostname)
        ? direct.dispatch(options, handler)
        : dispatch(options, handler);
    return { dispatcher: proxied.compose(loopbackDirect), all: [direct, proxied] };
}
/** A proxy variable (lower case first), with http:// added when it has no scheme, as curl does. */
function proxyVariable(...names) {
    for (const name of names) {
        const value = process.env[name]?.trim();
        if (!value)
            continue;
        const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
        try {
            new URL(url);
        }
        catch {
            throw new startup.ActionError(`${name} is not a valid proxy URL (${failures.redactProxy(value)}); set it to http://host:port.`);
        }
        return url;
    }
    return undefined;
}

/**
 * One place for every HTTP request the action makes, and for the rules every
 * request keeps whoever calls it (__tests__/net/http.test.ts proves each one
 * against real loopback servers, so a change that breaks one fails loudly):
 *
 * 1. A request that carries a credential (an authorization or cookie header,
 *    or a body: the token exchange) follows no redirect: a 3xx is an error
 *    naming the status and the URL. The credential goes only where it was sent.
 * 2. Every URL, each redirect hop included, is https, or plain http to a
 *    loopback address (network.ts), checked before the hop is requested.
 * 3. Loopback addresses are reached directly, never through HTTP(S)_PROXY,
 *    whatever NO_PROXY says: a proxy would read the token in clear. Other
 *    hosts honour HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case; a proxy
 *    variable without a scheme is taken as http://, as curl does; client.ts).
 * 4. Every request has an overall deadline, headers and body (DEADLINE_MS;
 *    downloads get more in proportion to their size, see downloadDeadlineMs),
 *    on top of the idle timeout; a proxy that never answers CONNECT times out.
 * 5. Every body has a size cap: an answer read into memory 1 MiB, an error
 *    body 16 KiB (the rest is not read), a download MAX_DOWNLOAD_BYTES. A
 *    larger body is an error, refused as soon as it is declared or passed.
 * 6. Every connection has an idle timeout (TIMEOUT_MS) while connecting,
 *    waiting for headers and between body bytes; idle pooled connections are
 *    kept briefly and never hold the process open; closeHttp() drops them all.
 * How a request leaves (undici, directly or through a proxy) is client.ts's
 * concern. Redirects are followed here, not by undici's redirect
 * interceptor, which has no hook to refuse a hop before it is requested nor
 * a cap on a hop's body. Retries live in retry.ts (each attempt the whole
 * request); failures are explained in failures.ts.
 */
/** Answers read into memory: checksums.txt (~2 kB), token and API answers (~2 kB), manifest.json. */
const MAX_ANSWER_BYTES = 1024 * 1024;
/** A streamed download (the CLI archive, the Web PaaS phar), with room for them to grow. */
const MAX_DOWNLOAD_BYTES = 128 * 1024 * 1024;
/**
 * The slowest link a slow but healthy runner has: 1 Mbit/s. A download's
 * deadline is DEADLINE_MS plus its size at this rate, and a server that
 * never says its size gets what MAX_DOWNLOAD_BYTES would need (about 17
 * minutes) before the step stops. A silent connection is dropped much
 * sooner, by the idle timeout.
 */
const MIN_DOWNLOAD_RATE = 128 * 1024;
const MAX_REDIRECTS = 5;
/** The overall deadline of a download of `bytes` (undefined: its size was not declared). */
function downloadDeadlineMs(bytes) {
    return (startup.DEADLINE_MS +
        (Math.min(bytes ?? MAX_DOWNLOAD_BYTES, MAX_DOWNLOAD_BYTES) / MIN_DOWNLOAD_RATE) * 1000);
}
/** A 3xx to a request that carries a credential, or a redirect the URL rule refuses. */
class RedirectRefused extends startup.ActionError {
    constructor(message) {
        super(message);
        this.name = 'RedirectRefused';
    }
}
/**
 * Sends one request under the rules above. Throws HttpError for 4xx/5xx
 * (with at most 16 KiB of its body for the message); returns 2xx and, when
 * not following, 3xx.
 */
async function send(url, options = {}) {
    const method = options.method ?? 'GET';
    const headers = { 'user-agent': 'setup-upsun-cli', ...options.headers };
    const credential = carriesCredential(method, headers, options.body);
    const follow = !credential && (options.followRedirects ?? true);
    const limit = options.maxBytes ?? (options.download ? MAX_DOWNLOAD_BYTES : MAX_ANSWER_BYTES);
    const deadline = new Deadline(url, startup.DEADLINE_MS);
    const signal = options.signal
        ? AbortSignal.any([options.signal, deadline.signal])
        : deadline.signal;
    let current = checkedUrl(url);
    closeOnShutdown();
    try {
        for (let hops = 0;; hops++) {
            const response = await deadline.race(transmit({
                url: current,
                method,
                headers,
                body: options.body,
                signal,
                dispatcher: options.dispatcher
            }));
            const status = response.statusCode;
            if (status >= 300 && status < 400 && (credential || follow)) {
                const location = firstHeader(response.headers.location);
                await readPrefix(response.body, MAX_ERROR_BYTES);
                current = nextHop(current.toString(), status, location, credential, hops);
                continue;
            }
            if (status >= 400) {
                const text = (await readPrefix(response.body, MAX_ERROR_BYTES)).toString('utf8');
                throw new failures.HttpError(current.toString(), status, response.headers, text);
            }
            const declared = Number(firstHeader(response.headers['content-length']));
            const size = Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined;
            if (size !== undefined && size > limit) {
                response.body.destroy();
                throw new BodyTooLarge(current.toString(), limit, size);
            }
            if (options.download)
                deadline.extend(downloadDeadlineMs(size));
            return {
                url: current.toString(),
                statusCode: status,
                headers: response.headers,
                body: cappedBody(response.body, current.toString(), limit, deadline)
            };
        }
    }
    catch (error) {
        deadline.clear();
        throw deadline.explain(error);
    }
}
function carriesCredential(method, headers, body) {
    if (method !== 'GET' || body !== undefined)
        return true;
    return Object.keys(headers).some((name) => ['authorization', 'cookie', 'proxy-authorization'].includes(name.toLowerCase()));
}
function checkedUrl(raw) {
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        throw new startup.ActionError(`Refused to fetch an invalid URL (${failures.redact(raw)}).`);
    }
    const why = startup.urlRefusal(url);
    if (why)
        throw new startup.ActionError(`Refused to fetch ${failures.redact(raw)}. ${why}`);
    return url;
}
/** Where a redirect leads, if it may be followed at all. */
function nextHop(from, status, location, credential, hops) {
    let target;
    try {
        target = location ? new URL(location, from) : undefined;
    }
    catch {
        target = undefined;
    }
    const to = target ? ` to ${failures.redact(target.toString())}` : '';
    if (credential) {
        throw new RedirectRefused(`${failures.redact(from)} answered HTTP ${status} (a redirect${to}) to a request that carries a credential. ` +
            'Such requests never follow a redirect, so the credential reaches only the host it was sent to; ' +
            'use the service’s own current address.');
    }
    if (!target) {
        throw new RedirectRefused(`${failures.redact(from)} answered HTTP ${status} without a usable Location; nothing to follow.`);
    }
    if (hops >= MAX_REDIRECTS) {
        throw new RedirectRefused(`${failures.redact(from)} redirected more than ${MAX_REDIRECTS} times; refused.`);
    }
    const why = startup.urlRefusal(target);
    if (why)
        throw new RedirectRefused(`${failures.redact(from)} redirected${to}, which was refused. ${why}`);
    return target;
}
function firstHeader(value) {
    return Array.isArray(value) ? value[0] : value;
}
let registered = false;
/** Pooled connections are dropped when the step shuts down (main.ts), so Node exits at once. */
function closeOnShutdown() {
    if (registered)
        return;
    registered = true;
    startup.onShutdown(closeHttp);
}
/** Closes pooled connections so that Node can exit at once (a hung CONNECT included). */
async function closeHttp() {
    registered = false;
    await closeClient();
}

exports.DeadlineError = failures.DeadlineError;
exports.BodyTooLarge = BodyTooLarge;
exports.MAX_ANSWER_BYTES = MAX_ANSWER_BYTES;
exports.MAX_DOWNLOAD_BYTES = MAX_DOWNLOAD_BYTES;
exports.MIN_DOWNLOAD_RATE = MIN_DOWNLOAD_RATE;
exports.RedirectRefused = RedirectRefused;
exports.closeHttp = closeHttp;
exports.downloadDeadlineMs = downloadDeadlineMs;
exports.send = send;
