'use strict';

const require$$0$1 = require('node:fs/promises');
const path = require('node:path');
const startup = require('./startup.cjs');
const failures = require('./failures.cjs');
const http = require('./http.cjs');
const retry = require('./retry.cjs');
const require$$0 = require('node:events');
const node_fs = require('node:fs');
const promises = require('node:stream/promises');

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

/*
 * The policy every archive entry must pass, whatever the format: release
 * archives hold only plain files and directories with relative names.
 */
/**
 * Resolves an archive entry's name inside `dest`; refuses absolute paths,
 * drive letters, backslashes, NUL, empty and `..` segments, and anything
 * that would resolve outside `dest`. Shared by the tar and zip checks.
 */
function safeEntryPath(dest, name) {
    const clean = name.replace(/^\.\/+/, '').replace(/\/+$/, '');
    const segments = clean.split('/');
    const unsafe = clean === '' ||
        clean.startsWith('/') ||
        /^[A-Za-z]:/.test(clean) ||
        clean.includes('\\') ||
        clean.includes('\0') ||
        segments.some((s) => s === '..' || s === '');
    const resolved = path__namespace.resolve(dest, ...segments);
    if (unsafe || !resolved.startsWith(path__namespace.resolve(dest) + path__namespace.sep)) {
        throw new startup.ActionError(`The archive entry ${JSON.stringify(name)} points outside the directory it is unpacked into; refused.`);
    }
    return resolved;
}
/**
 * The most an archive may unpack to: room for the real CLI to grow several
 * times over, while a gzip bomb stops long before it fills the disk.
 */
const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;
/** The most entries an archive may hold (the real one has a handful). */
const MAX_ENTRIES = 10_000;
/** The archive would unpack to more than the cap: refused at once, whatever the digest says. */
class ArchiveTooLarge extends startup.ActionError {
    constructor(maxBytes) {
        super(`The archive unpacks to more than ${Math.round(maxBytes / 1024 / 1024)} MiB; a release of the CLI unpacks to about 55 MB per architecture (macOS's universal binary holds two), ` +
            'so this is not what the vendor publishes. Unpacking stopped there and nothing was installed. ' +
            'If a mirror or proxy serves this file, check that it is intact.');
        this.name = 'ArchiveTooLarge';
    }
}

/**
 * gunzip → tar, fed chunk by chunk; a broken archive is remembered, not thrown
 * (the digest, once known, tells the truer story), except an archive past the
 * unpacked-size cap: that stops the download at once, so that a gzip bomb
 * never fills the disk.
 */
function tarSink(dir, Extractor) {
    // 1 MiB output chunks instead of zlib's 16 KiB: the whole pass (hash,
    // inflate, untar) then beats curl | tar of the same file (docs/benchmarks.md).
    // node:zlib is taken once the answer is here, not before the first request leaves.
    const gunzip = startup.lazyZlib().createGunzip({ chunkSize: 1 << 20 });
    const tar = new Extractor(dir);
    let unpackError;
    const done = promises.pipeline(gunzip, tar).catch((error) => {
        unpackError = error;
    });
    return {
        async write(chunk) {
            // A gunzip error surfaces through `done`, never as a network failure.
            if (unpackError === undefined && !gunzip.write(chunk))
                await Promise.race([require$$0.once(gunzip, 'drain').catch(() => undefined), done]);
            if (unpackError instanceof ArchiveTooLarge)
                throw unpackError;
        },
        async end() {
            if (unpackError === undefined)
                gunzip.end();
            await done;
            return { files: tar.files, unpackError };
        },
        async abort() {
            gunzip.destroy();
            await done;
        }
    };
}
/** Straight to a file (a zip cannot be unpacked as it streams: its index is at the end). */
function fileSink(file) {
    const out = node_fs.createWriteStream(file);
    const closed = require$$0.once(out, 'close');
    return {
        async write(chunk) {
            if (!out.write(chunk))
                await require$$0.once(out, 'drain');
        },
        async end() {
            out.end();
            await closed;
            return {};
        },
        async abort() {
            out.destroy();
            await closed.catch(() => undefined);
        }
    };
}
const ZIP_NAME = '.download.zip';
/** Unpacks the verified zip in place and hashes what it held. */
async function unpackZip(dir) {
    // In this process: no unzip or PowerShell child gets the job's environment.
    const { extractZip } = await Promise.resolve().then(() => require('./zip.cjs'));
    const zip = path__namespace.join(dir, ZIP_NAME);
    const out = path__namespace.join(dir, '.unzipped');
    await extractZip(zip, out);
    await require$$0$1.rm(zip, { force: true });
    const files = new Map();
    await collect(out, '', files);
    // Move the unpacked files up into the staging directory's root.
    for (const name of await require$$0$1.readdir(out))
        await require$$0$1.rename(path__namespace.join(out, name), path__namespace.join(dir, name));
    await require$$0$1.rm(out, { recursive: true, force: true });
    return files;
}
async function collect(root, rel, files) {
    for (const name of await require$$0$1.readdir(path__namespace.join(root, rel))) {
        const relative = rel ? `${rel}/${name}` : name;
        const info = await require$$0$1.lstat(path__namespace.join(root, relative));
        if (info.isSymbolicLink() || !(info.isFile() || info.isDirectory())) {
            throw new startup.ActionError(`The archive entry ${JSON.stringify(relative)} is a link or special file; release archives hold only files and directories, so it was refused.`);
        }
        if (info.isDirectory())
            await collect(root, relative, files);
        else
            files.set(relative, await startup.sha256File(path__namespace.join(root, relative)));
    }
}

/** The release has no checksums.txt (404). */
class MissingChecksums extends startup.ActionError {
}
/** The release has no such asset (404). */
class MissingAsset extends startup.ActionError {
}
/** Parses GoReleaser's `checksums.txt`: `<sha256>  <file>` per line. */
function parseChecksums(text) {
    const sums = new Map();
    for (const line of text.split(/\r?\n/)) {
        const m = /^([0-9a-fA-F]{64})\s+\*?(\S+)\s*$/.exec(line);
        if (m)
            sums.set(m[2], m[1].toLowerCase());
    }
    return sums;
}
/**
 * Downloads `checksums.txt` and the archive at the same time, hashing and
 * unpacking the archive as it streams into `newStagingDir()`. Nothing leaves
 * the staging directory here: the caller moves it into the tool cache only
 * after this returns, i.e. after the digest matched. On any failure the
 * staging directory is removed.
 */
async function downloadVerified(release, asset, target, newStagingDir, network = {}) {
    const archiveUrl = startup.downloadUrl(release, asset);
    const sumsUrl = startup.downloadUrl(release, 'checksums.txt');
    const abort = new AbortController();
    // The tar reader (tar-stream) loads while the first requests are on their
    // way, not before they leave: it is needed only once the archive's first
    // bytes arrive (docs/benchmarks.md, the cold rows).
    const tarModule = target.archive === 'tar.gz' ? Promise.resolve().then(() => require('./tar.cjs')) : undefined;
    tarModule?.catch(() => undefined); // awaited below; never an unhandled rejection
    const sums = fetchChecksums(sumsUrl, release, network).catch((error) => {
        // A missing checksums.txt may mean the whole version is missing: let the
        // archive request finish, so that its 404 ("no asset") can tell.
        if (!(error instanceof MissingChecksums))
            abort.abort();
        throw error;
    });
    const archive = retry.withRetry(`Downloading ${asset}`, async () => {
        const dir = await newStagingDir();
        try {
            const openSink = async () => tarModule
                ? tarSink(dir, (await tarModule).TarExtractor)
                : fileSink(path__namespace.join(dir, ZIP_NAME));
            return { dir, ...(await streamOnce(archiveUrl, openSink, network, abort.signal)) };
        }
        catch (error) {
            await require$$0$1.rm(dir, { recursive: true, force: true });
            throw error;
        }
    }, network.sleep).catch((error) => {
        abort.abort();
        throw explainDownload(error, release, asset, archiveUrl);
    });
    const [sumsResult, archiveResult] = await Promise.allSettled([sums, archive]);
    if (archiveResult.status === 'fulfilled' && sumsResult.status === 'rejected') {
        await require$$0$1.rm(archiveResult.value.dir, { recursive: true, force: true });
    }
    // An archive that is not there says more than its missing checksums; any
    // other checksum failure explains the aborted download, so it comes first.
    if (archiveResult.status === 'rejected' && archiveResult.reason instanceof MissingAsset) {
        throw archiveResult.reason;
    }
    if (sumsResult.status === 'rejected')
        throw sumsResult.reason;
    if (archiveResult.status === 'rejected')
        throw archiveResult.reason;
    const got = archiveResult.value;
    try {
        const expected = sumsResult.value.get(asset);
        if (!expected) {
            throw new startup.ActionError(`checksums.txt of release ${release.tag} has no line for ${asset}, so the download cannot be verified; nothing was installed. ` +
                `Actual SHA-256: ${got.sha256}. (${failures.redact(sumsUrl)})`);
        }
        if (expected !== got.sha256) {
            throw new startup.ActionError(`SHA-256 mismatch for ${asset}: checksums.txt says ${expected}, the download is ${got.sha256}. ` +
                'Nothing was installed. If a mirror or proxy serves this file, check that it is intact.');
        }
        // Only a verified archive may have its unpacking problems reported: for a
        // corrupt one, the digest mismatch above is the true story.
        if (got.unpackError !== undefined)
            throw startup.asError(got.unpackError);
        const files = got.files ?? (await unpackZip(got.dir));
        return { dir: got.dir, sha256: got.sha256, bytes: got.bytes, files };
    }
    catch (error) {
        await require$$0$1.rm(got.dir, { recursive: true, force: true });
        throw error;
    }
}
async function fetchChecksums(url, release, network) {
    try {
        return await retry.withRetry('Downloading checksums.txt', async () => {
            const response = await http.send(url, { dispatcher: network.dispatcher });
            return parseChecksums(await response.body.text());
        }, network.sleep);
    }
    catch (error) {
        if (error instanceof failures.HttpError && error.status === 404) {
            throw new MissingChecksums(`Release ${release.tag} publishes no checksums.txt (${failures.redact(url)} answered 404), so the download cannot be verified; nothing was installed.`, { cause: error });
        }
        throw failures.explainFailure(error, url, 'download checksums.txt');
    }
}
/**
 * One attempt: stream a download through SHA-256 into a sink (untar, or a
 * file), opened once the answer is there.
 */
async function streamOnce(url, openSink, network, signal) {
    const response = await http.send(url, { signal, download: true, dispatcher: network.dispatcher });
    let sink;
    try {
        sink = await openSink();
    }
    catch (error) {
        response.body.destroy();
        throw error;
    }
    // node:crypto loads once the answer is here, not before the request leaves.
    const hash = startup.lazyCrypto().createHash('sha256');
    let bytes = 0;
    try {
        for await (const chunk of response.body) {
            hash.update(chunk);
            bytes += chunk.length;
            await sink.write(chunk);
        }
    }
    catch (error) {
        await sink.abort();
        // Past the unpacked-size cap (ArchiveTooLarge), a body over its cap, any
        // other refusal: stop now, retrying would only do it again.
        if (error instanceof startup.ActionError)
            throw error;
        if (signal?.aborted) {
            throw new startup.ActionError('Download stopped because the other download failed.', { cause: error });
        }
        throw new failures.RetryableError(`the download was cut after ${bytes} bytes (${failures.describeFailure(error)})`, {
            cause: error
        });
    }
    const { files, unpackError } = await sink.end();
    return { sha256: hash.digest('hex'), bytes, files, unpackError };
}
/**
 * Downloads one file (retried, proxied, timed out like every request) while
 * hashing it. The caller compares the digest before using the file.
 */
async function downloadToFile(url, file, label, network = {}) {
    try {
        return await retry.withRetry(`Downloading ${label}`, () => streamOnce(url, () => Promise.resolve(fileSink(file)), network), network.sleep);
    }
    catch (error) {
        throw failures.explainFailure(error, url, `download ${label}`);
    }
}
function explainDownload(error, release, asset, url) {
    if (error instanceof failures.HttpError && error.status === 404) {
        return new MissingAsset(`Version ${release.version} has no asset ${asset} (${failures.redact(url)} answered 404). ` +
            `See the releases at ${release.releasesUrl}.`, { cause: error });
    }
    return failures.explainFailure(error, url, `download ${asset}`);
}

const download = /*#__PURE__*/Object.freeze(/*#__PURE__*/Object.defineProperty({
    __proto__: null,
    downloadToFile,
    downloadVerified,
    parseChecksums
}, Symbol.toStringTag, { value: 'Module' }));

exports.ArchiveTooLarge = ArchiveTooLarge;
exports.MAX_ENTRIES = MAX_ENTRIES;
exports.MAX_UNPACKED_BYTES = MAX_UNPACKED_BYTES;
exports.download = download;
exports.safeEntryPath = safeEntryPath;
