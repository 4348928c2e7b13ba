'use strict';

Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });

const index = require('./index.cjs');
const startup = require('./startup.cjs');
const failures = require('./failures.cjs');
const http = require('./http.cjs');
const retry = require('./retry.cjs');

/*
 * The networked half of version resolution, loaded only when `version` is
 * `latest` or a range (an exact version needs no lookup).
 */
/** Resolves `latest`, an exact version or a range to one release. */
async function resolveRelease(spec, options, network = {}) {
    if (spec.kind === 'exact')
        return startup.exactRelease(spec.version, options.releasesUrl);
    if (spec.kind === 'latest')
        return resolveLatest(options.releasesUrl || startup.UPSUN_RELEASES, network);
    if (!index.semver.validRange(spec.range))
        throw startup.badVersion(spec.range);
    const channels = options.releasesUrl
        ? [options.releasesUrl]
        : [startup.UPSUN_RELEASES, startup.PLATFORMSH_RELEASES];
    for (const releasesUrl of channels) {
        const versions = await listVersions(releasesUrl, options, network);
        const best = index.semver.maxSatisfying(versions, spec.range);
        if (best)
            return startup.gitHubRelease(best, startup.tagFor(best), releasesUrl);
    }
    throw new startup.ActionError(`No published release satisfies \`version: ${spec.range}\` (looked in ${channels.join(' and ')}).`);
}
/**
 * `latest` follows the web redirect `{releases-url}/latest` → `…/tag/{tag}`:
 * no REST API, so no rate limit on shared runner IPs.
 */
async function resolveLatest(releasesUrl, network) {
    const url = `${releasesUrl}/latest`;
    const response = await retry.withRetry(`Resolving latest from ${failures.redact(url)}`, () => http.send(url, { followRedirects: false, dispatcher: network.dispatcher }), network.sleep).catch((error) => {
        throw explain(error, url, 'resolve the latest release');
    });
    await response.body.dump();
    const location = response.headers.location;
    const target = Array.isArray(location) ? location[0] : location;
    const match = target ? /\/tag\/([^/?#]+)\/?(?:[?#].*)?$/.exec(target) : null;
    const tag = match ? decodeURIComponent(match[1]) : '';
    const version = index.semver.valid(tag.replace(/^v/, ''));
    if (response.statusCode < 300 || response.statusCode >= 400 || !version) {
        throw new startup.ActionError(`${failures.redact(url)} did not redirect to a release tag (HTTP ${response.statusCode}${target ? `, to ${failures.redact(target)}` : ''}). ` +
            'Is `releases-url` a GitHub-style releases page? Pin an exact `version` to skip this lookup.');
    }
    return startup.gitHubRelease(version, tag, releasesUrl);
}
/** Stable versions published on a GitHub releases page, via the REST API. */
async function listVersions(releasesUrl, options, network) {
    const api = apiReleasesUrl(releasesUrl, options);
    const headers = {
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28'
    };
    if (options.githubToken)
        headers.authorization = `Bearer ${options.githubToken}`;
    const versions = [];
    // Ten pages of 100 cover every release either repository has published.
    for (let page = 1; page <= 10; page++) {
        const url = `${api}?per_page=100&page=${page}`;
        const response = await retry.withRetry(`Listing releases (${failures.redact(url)})`, 
        // A page of 100 releases with their asset lists runs to a few MB.
        () => http.send(url, { headers, maxBytes: 32 * 1024 * 1024, dispatcher: network.dispatcher }), network.sleep).catch((error) => {
            throw explain(error, url, 'list releases');
        });
        const list = (await response.body.json());
        if (!Array.isArray(list))
            throw new startup.ActionError(`${failures.redact(url)} did not answer with a list of releases.`);
        for (const r of list) {
            if (r.draft === true || r.prerelease === true || typeof r.tag_name !== 'string')
                continue;
            const v = index.semver.valid(r.tag_name.replace(/^v/, ''));
            if (v)
                versions.push(v);
        }
        if (list.length < 100)
            break;
    }
    return versions;
}
/**
 * Maps `https://github.com/OWNER/REPO/releases` to its REST endpoint, on
 * github.com or on the run's GitHub Enterprise server.
 */
function apiReleasesUrl(releasesUrl, options) {
    const url = new URL(releasesUrl);
    const m = /^\/([^/]+)\/([^/]+)\/releases$/.exec(url.pathname.replace(/\/+$/, ''));
    let apiBase;
    if (url.host === 'github.com')
        apiBase = 'https://api.github.com';
    else if (options.serverUrl && options.apiUrl && new URL(options.serverUrl).host === url.host) {
        apiBase = options.apiUrl.replace(/\/+$/, '');
    }
    if (!m || !apiBase) {
        throw new startup.ActionError(`A version range needs the GitHub releases API, which ${failures.redact(releasesUrl)} does not offer ` +
            "(only github.com and this run's GitHub Enterprise server do). Set `version` to an exact version or `latest`.");
    }
    return `${apiBase}/repos/${m[1]}/${m[2]}/releases`;
}
/** Turns a failed lookup into a message that says what to do. */
function explain(error, url, doing) {
    if (error instanceof failures.HttpError) {
        const remaining = error.headers['x-ratelimit-remaining'];
        if (error.status === 429 || (error.status === 403 && remaining === '0')) {
            return new startup.ActionError(`The GitHub API rate limit was reached while trying to ${doing} (HTTP ${error.status}). ` +
                'Pass a token in `github-token` (the default, github.token, works on github.com), or pin an exact `version`, which needs no API call.', { cause: error });
        }
        if (error.status === 404) {
            return new startup.ActionError(`Could not ${doing}: ${failures.redact(url)} was not found (HTTP 404). Check \`releases-url\`.`, {
                cause: error
            });
        }
    }
    return failures.explainFailure(error, url, doing);
}

exports.apiReleasesUrl = apiReleasesUrl;
exports.resolveRelease = resolveRelease;
