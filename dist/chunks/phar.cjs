'use strict';

Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });

const exec = require('./exec.cjs');
const require$$0 = require('node:fs/promises');
const path = require('node:path');
const index = require('./index.cjs');
const startup = require('./startup.cjs');

function _interopNamespaceDefault(e) {
    const n = Object.create(null, { [Symbol.toStringTag]: { value: 'Module' } });
    if (e) {
        for (const k in e) {
            if (k !== 'default') {
                const d = Object.getOwnPropertyDescriptor(e, k);
                Object.defineProperty(n, k, d.get ? d : {
                    enumerable: true,
                    get: () => e[k]
                });
            }
        }
    }
    n.default = e;
    return Object.freeze(n);
}

const path__namespace = /*#__PURE__*/_interopNamespaceDefault(path);

const PHP_MIN = '5.5.9';
const PHP_EXTENSIONS = ['json', 'phar', 'openssl', 'curl'];
const PHAR = 'webpaas.phar';
function manifestUrl(inputs) {
    const base = inputs.releasesUrl ||
        (inputs.cli.channel.kind === 'phar-manifest' ? inputs.cli.channel.defaultUrl : '');
    return `${base}/manifest.json`;
}
/** Parses manifest.json, keeping well-formed entries only. */
function parseManifest(text, source) {
    let data;
    try {
        data = JSON.parse(text);
    }
    catch {
        throw new startup.ActionError(`${source} is not JSON; is \`releases-url\` the Web PaaS CLI site?`);
    }
    if (!Array.isArray(data))
        throw new startup.ActionError(`${source} is not a list of releases.`);
    const entries = [];
    for (const raw of data) {
        if (!raw || typeof raw !== 'object')
            continue;
        const version = typeof raw.version === 'string' ? index.semver.valid(raw.version.replace(/^v/, '')) : null;
        const sha256 = typeof raw.sha256 === 'string' ? raw.sha256.toLowerCase() : '';
        if (!version || !/^[0-9a-f]{64}$/.test(sha256) || typeof raw.url !== 'string')
            continue;
        entries.push({
            version,
            sha256,
            // Only ever printed: made printable once, here, and kept short.
            name: typeof raw.name === 'string' ? startup.printable(raw.name).slice(0, 100) || PHAR : PHAR,
            url: raw.url
        });
    }
    if (entries.length === 0)
        throw new startup.ActionError(`${source} lists no usable release.`);
    return entries;
}
/**
 * Resolves an entry's URL against the manifest and refuses one that leaves
 * the manifest's directory on the same origin (`../`, another host).
 */
function entryUrl(entry, manifest) {
    const base = new URL(manifest);
    let target;
    try {
        target = new URL(entry.url, base);
    }
    catch {
        throw new startup.ActionError(`The manifest entry for ${entry.version} has an invalid url; refused.`);
    }
    const dir = base.pathname.replace(/[^/]*$/, '');
    if (target.origin !== base.origin ||
        !target.pathname.startsWith(dir) ||
        target.username ||
        target.password) {
        throw new startup.ActionError(`The manifest entry for ${entry.version} points outside the site (${JSON.stringify(entry.url)}); refused.`);
    }
    return target.toString();
}
/** Picks the entry for `latest` (highest stable), an exact version or a range. */
function pickEntry(entries, wanted) {
    const versions = entries.map((e) => e.version);
    let version;
    if (wanted.kind === 'exact')
        version = versions.includes(wanted.version) ? wanted.version : null;
    else if (wanted.kind === 'range')
        version = index.semver.maxSatisfying(versions, wanted.range);
    else
        version = index.semver.maxSatisfying(versions.filter((v) => !index.semver.prerelease(v)), '*');
    const entry = entries.find((e) => e.version === version);
    if (!entry) {
        const listed = index.semver
            .rsort([...versions])
            .slice(0, 20)
            .join(', ');
        const asked = wanted.kind === 'exact' ? wanted.version : wanted.kind === 'range' ? wanted.range : 'latest';
        throw new startup.ActionError(`The Web PaaS manifest has no release matching ${asked}. It lists: ${listed}.`);
    }
    return entry;
}
async function loadManifest(url, network = {}) {
    const { explainFailure } = await Promise.resolve().then(() => require('./failures.cjs'));
    const { send } = await Promise.resolve().then(() => require('./http.cjs'));
    const { withRetry } = await Promise.resolve().then(() => require('./retry.cjs'));
    const text = await withRetry('Reading manifest.json', async () => (await send(url, { dispatcher: network.dispatcher })).body.text(), network.sleep).catch((error) => {
        throw explainFailure(error, url, 'read the Web PaaS CLI manifest');
    });
    return parseManifest(text, url);
}
/** PHP on PATH, recent enough, with the extensions the phar uses. */
async function checkPhp() {
    const help = 'cli: webpaas runs the Web PaaS CLI, a PHP phar: set PHP up in an earlier step (for example with shivammathur/setup-php), ' +
        `version ${PHP_MIN} or later with the ${PHP_EXTENSIONS.join(', ')} extensions.`;
    const php = await exec.which('php', false);
    if (!php)
        throw new startup.ActionError(`PHP was not found on PATH. ${help}`);
    const probe = `echo PHP_VERSION; foreach (array(${PHP_EXTENSIONS.map((e) => `'${e}'`).join(',')}) as $e) { if (!extension_loaded($e)) echo ' missing:', $e; }`;
    const result = await exec.getExecOutput(php, ['-r', probe], {
        silent: true,
        ignoreReturnCode: true,
        env: startup.childEnv()
    });
    const [version, ...rest] = result.stdout.trim().split(/\s+/);
    const missing = rest.filter((w) => w.startsWith('missing:')).map((w) => w.slice(8));
    const coerced = index.semver.coerce(version);
    if (result.exitCode !== 0 || !coerced || index.semver.lt(coerced, PHP_MIN)) {
        throw new startup.ActionError(`${php} is PHP ${version || 'of unknown version'}. ${help}`);
    }
    if (missing.length)
        throw new startup.ActionError(`PHP ${version} lacks the ${missing.join(', ')} extension(s). ${help}`);
    return version;
}
function pharChannel(inputs, network = {}) {
    const manifest = manifestUrl(inputs);
    return {
        async preflight() {
            await checkPhp();
        },
        async resolve(spec) {
            // An exact version is looked up in the manifest only if it must be downloaded.
            if (spec.kind === 'exact')
                return { version: spec.version, where: manifest, manifestUrl: manifest };
            const entry = pickEntry(await loadManifest(manifest, network), spec);
            return { version: entry.version, where: manifest, manifestUrl: manifest, entry };
        },
        async fetch(release, target, staging) {
            const { version } = release;
            const entry = release.entry ??
                pickEntry(await loadManifest(manifest, network), { kind: 'exact', version });
            const url = entryUrl(entry, manifest);
            const { downloadToFile } = await Promise.resolve().then(() => require('./download.cjs')).then(n => n.download);
            const dir = await staging();
            try {
                const got = await downloadToFile(url, path__namespace.join(dir, PHAR), entry.name, network);
                if (got.sha256 !== entry.sha256) {
                    throw new startup.ActionError(`SHA-256 mismatch for ${entry.name} ${version}: manifest.json says ${entry.sha256}, the download is ${got.sha256}. Nothing was installed.`);
                }
                // Launchers: POSIX shell, and a .cmd for Windows.
                await require$$0.writeFile(path__namespace.join(dir, 'webpaas'), `#!/bin/sh\nexec php "$(dirname "$0")/${PHAR}" "$@"\n`);
                await require$$0.chmod(path__namespace.join(dir, 'webpaas'), 0o755);
                await require$$0.writeFile(path__namespace.join(dir, 'webpaas.cmd'), `@php "%~dp0${PHAR}" %*\r\n`);
                return {
                    dir,
                    bytes: got.bytes,
                    record: {
                        asset: `${entry.name} ${version}`,
                        source: 'manifest.json',
                        archiveSha256: got.sha256,
                        binary: PHAR,
                        binarySha256: got.sha256,
                        executable: target.exeSuffix ? 'webpaas.cmd' : 'webpaas'
                    }
                };
            }
            catch (error) {
                await require$$0.rm(dir, { recursive: true, force: true });
                throw error;
            }
        }
    };
}

exports.checkPhp = checkPhp;
exports.entryUrl = entryUrl;
exports.loadManifest = loadManifest;
exports.parseManifest = parseManifest;
exports.pharChannel = pharChannel;
exports.pickEntry = pickEntry;
