import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rm, readdir, rename, lstat } from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Writable } from 'node:stream';
import { A as ActionError, a as asError } from './errors.js';
import { d as downloadUrl } from './releases.js';
import { a as sha256File } from './toolcache.js';
import { explainFailure, redact, RetryableError, describeFailure, HttpError } from './failures.js';
import { send } from './http.js';
import { withRetry } from './retry.js';

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
    const resolved = path.resolve(dest, ...segments);
    if (unsafe || !resolved.startsWith(path.resolve(dest) + path.sep)) {
        throw new ActionError(`The archive entry ${JSON.stringify(name)} points outside the directory it is unpacked into; refused.`);
    }
    return resolved;
}

const BLOCK = 512;
/**
 * A Writable that unpacks an (uncompressed) tar stream into `dest`.
 *
 * Why our own instead of spawning `tar`: it runs the same on every runner,
 * lets the download be hashed, inflated and unpacked in one streamed pass
 * (no temporary archive file), and it refuses anything but plain files and
 * directories with safe relative names. Release archives hold only those, so
 * a link, a device, an absolute path or a `..` segment means the archive is
 * not what the vendor publishes.
 */
class TarExtractor extends Writable {
    dest;
    pending = Buffer.alloc(0);
    file;
    skip = 0;
    longName;
    paxPath;
    ended = false;
    /**
     * SHA-256 of every regular file written, by relative path: computed while
     * writing, so the cache can later recheck the binary without a second read.
     */
    files = new Map();
    constructor(dest) {
        super();
        this.dest = dest;
    }
    _write(chunk, _enc, done) {
        this.consume(chunk).then(() => done(), done);
    }
    _final(done) {
        const finish = async () => {
            if (this.file) {
                await this.file.handle.close();
                throw new ActionError('The archive ends in the middle of a file.');
            }
            if (!this.ended && this.pending.some((b) => b !== 0)) {
                throw new ActionError('The archive ends in the middle of an entry.');
            }
        };
        finish().then(() => done(), done);
    }
    _destroy(error, done) {
        const handle = this.file?.handle;
        this.file = undefined;
        if (handle)
            handle.close().then(() => done(error), () => done(error));
        else
            done(error);
    }
    async consume(chunk) {
        let data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
        this.pending = Buffer.alloc(0);
        while (data.length > 0 && !this.ended) {
            if (this.file) {
                data = await this.writeFileData(data);
                continue;
            }
            if (this.skip > 0) {
                const n = Math.min(this.skip, data.length);
                this.skip -= n;
                data = data.subarray(n);
                continue;
            }
            if (data.length < BLOCK)
                break;
            const header = data.subarray(0, BLOCK);
            data = data.subarray(BLOCK);
            const rest = await this.header(header, data);
            data = rest;
        }
        if (!this.ended && data.length)
            this.pending = Buffer.from(data);
    }
    async writeFileData(data) {
        const file = this.file;
        if (file.remaining > 0) {
            const n = Math.min(file.remaining, data.length);
            const part = data.subarray(0, n);
            file.hash.update(part);
            await file.handle.write(part);
            file.remaining -= n;
            data = data.subarray(n);
        }
        if (file.remaining === 0) {
            await file.handle.close();
            this.files.set(file.name, file.hash.digest('hex'));
            this.file = undefined;
            this.skip = file.padding;
        }
        return data;
    }
    /** Handles one header block; `data` is what follows it. */
    async header(block, data) {
        if (block.every((b) => b === 0)) {
            // End-of-archive marker (two zero blocks; one is enough to stop).
            this.ended = true;
            return Buffer.alloc(0);
        }
        verifyChecksum(block);
        const type = String.fromCharCode(block[156] || 48); // NUL means '0'
        const size = parseSize(block.subarray(124, 136));
        const padding = (BLOCK - (size % BLOCK)) % BLOCK;
        if (type === 'L' || type === 'x') {
            // GNU long name or PAX header: its body names the next entry. Read it
            // whole (bounded, it is metadata) before going on.
            if (size > 64 * 1024)
                throw new ActionError('The archive has an oversized metadata entry.');
            const need = size + padding;
            if (data.length < need) {
                // Not enough buffered yet: keep the header for the next chunk.
                this.pending = Buffer.concat([block, data]);
                return Buffer.alloc(0);
            }
            const body = data.subarray(0, size);
            if (type === 'L')
                this.longName = body.toString('utf8').replace(/\0+$/, '');
            else
                this.paxPath = parsePaxPath(body) ?? this.paxPath;
            return data.subarray(need);
        }
        if (type === 'g') {
            this.skip = size + padding;
            return data;
        }
        const name = this.takeName(block);
        if (type === '5') {
            await mkdir(this.safePath(name), { recursive: true });
            return data;
        }
        if (type === '0' || type === '7') {
            const target = this.safePath(name);
            await mkdir(path.dirname(target), { recursive: true });
            const mode = parseOctal(block.subarray(100, 108)) & 0o111 ? 0o755 : 0o644;
            // 'wx': never follow or overwrite something already there.
            const handle = await open(target, 'wx', mode);
            const relative = path.relative(this.dest, target).split(path.sep).join('/');
            this.file = { handle, remaining: size, padding, hash: createHash('sha256'), name: relative };
            return size === 0 ? this.writeFileData(data) : data;
        }
        const kind = type === '1' ? 'a hard link' : type === '2' ? 'a symbolic link' : `of type '${type}'`;
        throw new ActionError(`The archive entry ${JSON.stringify(name)} is ${kind}; release archives hold only files and directories, so it was refused.`);
    }
    takeName(block) {
        let name = this.paxPath ?? this.longName;
        if (name === undefined) {
            const base = cString(block.subarray(0, 100));
            const prefix = block.subarray(257, 263).toString('latin1').startsWith('ustar')
                ? cString(block.subarray(345, 500))
                : '';
            name = prefix ? `${prefix}/${base}` : base;
        }
        this.paxPath = undefined;
        this.longName = undefined;
        return name;
    }
    /** Resolves an entry name inside `dest`, refusing anything that leaves it. */
    safePath(name) {
        return safeEntryPath(this.dest, name);
    }
}
function cString(buf) {
    const end = buf.indexOf(0);
    return buf.subarray(0, end === -1 ? buf.length : end).toString('utf8');
}
function parseOctal(buf) {
    const text = cString(buf).trim();
    return text === '' ? 0 : parseInt(text, 8);
}
function parseSize(buf) {
    // GNU base-256 encoding for sizes of 8 GiB and more.
    if (buf[0] & 0x80) {
        let value = 0;
        for (let i = 1; i < buf.length; i++)
            value = value * 256 + buf[i];
        return value;
    }
    const size = parseOctal(buf);
    if (!Number.isSafeInteger(size) || size < 0)
        throw new ActionError('The archive has a corrupt header.');
    return size;
}
function verifyChecksum(block) {
    let sum = 0;
    for (let i = 0; i < BLOCK; i++)
        sum += i >= 148 && i < 156 ? 32 : block[i];
    if (sum !== parseOctal(block.subarray(148, 156))) {
        throw new ActionError('The archive has a corrupt header (tar checksum mismatch).');
    }
}
function parsePaxPath(body) {
    // Records are "<len> <key>=<value>\n".
    let found;
    for (const line of body.toString('utf8').split('\n')) {
        const m = /^\d+ path=(.*)$/.exec(line);
        if (m)
            found = m[1];
    }
    return found;
}

/** The release has no checksums.txt (404). */
class MissingChecksums extends ActionError {
}
/** The release has no such asset (404). */
class MissingAsset extends ActionError {
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
    const archiveUrl = downloadUrl(release, asset);
    const sumsUrl = downloadUrl(release, 'checksums.txt');
    const abort = new AbortController();
    const sums = fetchChecksums(sumsUrl, release, network).catch((error) => {
        // A missing checksums.txt may mean the whole version is missing: let the
        // archive request finish, so that its 404 ("no asset") can tell.
        if (!(error instanceof MissingChecksums))
            abort.abort();
        throw error;
    });
    const archive = withRetry(`Downloading ${asset}`, async () => {
        const dir = await newStagingDir();
        try {
            const sink = target.archive === 'tar.gz' ? tarSink(dir) : fileSink(path.join(dir, ZIP_NAME));
            return { dir, ...(await streamOnce(archiveUrl, sink, network, abort.signal)) };
        }
        catch (error) {
            await rm(dir, { recursive: true, force: true });
            throw error;
        }
    }, network.sleep).catch((error) => {
        abort.abort();
        throw explainDownload(error, release, asset, archiveUrl);
    });
    const [sumsResult, archiveResult] = await Promise.allSettled([sums, archive]);
    if (archiveResult.status === 'fulfilled' && sumsResult.status === 'rejected') {
        await rm(archiveResult.value.dir, { recursive: true, force: true });
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
            throw new ActionError(`checksums.txt of release ${release.tag} has no line for ${asset}, so the download cannot be verified; nothing was installed. ` +
                `Actual SHA-256: ${got.sha256}. (${redact(sumsUrl)})`);
        }
        if (expected !== got.sha256) {
            throw new ActionError(`SHA-256 mismatch for ${asset}: checksums.txt says ${expected}, the download is ${got.sha256}. ` +
                'Nothing was installed. If a mirror or proxy serves this file, check that it is intact.');
        }
        // Only a verified archive may have its unpacking problems reported: for a
        // corrupt one, the digest mismatch above is the true story.
        if (got.unpackError !== undefined)
            throw asError(got.unpackError);
        const files = got.files ?? (await unpackZip(got.dir));
        return { dir: got.dir, sha256: got.sha256, bytes: got.bytes, files };
    }
    catch (error) {
        await rm(got.dir, { recursive: true, force: true });
        throw error;
    }
}
async function fetchChecksums(url, release, network) {
    try {
        return await withRetry('Downloading checksums.txt', async () => {
            const response = await send(url, { dispatcher: network.dispatcher });
            return parseChecksums(await response.body.text());
        }, network.sleep);
    }
    catch (error) {
        if (error instanceof HttpError && error.status === 404) {
            throw new MissingChecksums(`Release ${release.tag} publishes no checksums.txt (${redact(url)} answered 404), so the download cannot be verified; nothing was installed.`, { cause: error });
        }
        throw explainFailure(error, url, 'download checksums.txt');
    }
}
/** One attempt: stream a download through SHA-256 into a sink (untar, or a file). */
async function streamOnce(url, sink, network, signal) {
    const response = await send(url, { signal, dispatcher: network.dispatcher });
    const hash = createHash('sha256');
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
        if (signal?.aborted) {
            throw new ActionError('Download stopped because the other download failed.', { cause: error });
        }
        throw new RetryableError(`the download was cut after ${bytes} bytes (${describeFailure(error)})`, {
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
        return await withRetry(`Downloading ${label}`, () => streamOnce(url, fileSink(file), network), network.sleep);
    }
    catch (error) {
        throw explainFailure(error, url, `download ${label}`);
    }
}
/** gunzip → tar, fed chunk by chunk; a broken archive is remembered, not thrown. */
function tarSink(dir) {
    // 1 MiB output chunks instead of zlib's 16 KiB: measured on the real 18.6 MB
    // asset, the whole pass (hash, inflate, untar) drops from ~850 ms to ~380 ms,
    // faster than curl | tar of the same file (npm run bench).
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    const tar = new TarExtractor(dir);
    let unpackError;
    const done = pipeline(gunzip, tar).catch((error) => {
        unpackError = error;
    });
    return {
        async write(chunk) {
            if (unpackError !== undefined)
                return;
            // A gunzip error surfaces through `done`, never as a network failure.
            if (!gunzip.write(chunk))
                await Promise.race([once(gunzip, 'drain').catch(() => undefined), done]);
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
    const out = createWriteStream(file);
    const closed = once(out, 'close');
    return {
        async write(chunk) {
            if (!out.write(chunk))
                await once(out, 'drain');
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
    const { extractZip } = await import('./tool-cache.js');
    const { checkZipEntries } = await import('./zip.js');
    const zip = path.join(dir, ZIP_NAME);
    const out = path.join(dir, '.unzipped');
    await checkZipEntries(zip, out);
    await extractZip(zip, out);
    await rm(zip, { force: true });
    const files = new Map();
    await collect(out, '', files);
    // Move the unpacked files up into the staging directory's root.
    for (const name of await readdir(out))
        await rename(path.join(out, name), path.join(dir, name));
    await rm(out, { recursive: true, force: true });
    return files;
}
async function collect(root, rel, files) {
    for (const name of await readdir(path.join(root, rel))) {
        const relative = rel ? `${rel}/${name}` : name;
        const info = await lstat(path.join(root, relative));
        if (info.isSymbolicLink() || !(info.isFile() || info.isDirectory())) {
            throw new ActionError(`The archive entry ${JSON.stringify(relative)} is a link or special file; release archives hold only files and directories, so it was refused.`);
        }
        if (info.isDirectory())
            await collect(root, relative, files);
        else
            files.set(relative, await sha256File(path.join(root, relative)));
    }
}
function explainDownload(error, release, asset, url) {
    if (error instanceof HttpError && error.status === 404) {
        return new MissingAsset(`Version ${release.version} has no asset ${asset} (${redact(url)} answered 404). ` +
            `See the releases at ${release.releasesUrl}.`, { cause: error });
    }
    return explainFailure(error, url, `download ${asset}`);
}

const download = /*#__PURE__*/Object.freeze(/*#__PURE__*/Object.defineProperty({
    __proto__: null,
    downloadToFile,
    downloadVerified,
    parseChecksums
}, Symbol.toStringTag, { value: 'Module' }));

export { download as d, safeEntryPath as s };
