'use strict';

Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });

const require$$0$3 = require('node:events');
const node_fs = require('node:fs');
const require$$0 = require('node:fs/promises');
const path = require('node:path');
const require$$0$1 = require('node:stream');
const promises = require('node:stream/promises');
const require$$0$2 = require('node:zlib');
const startup = require('./startup.cjs');
const download = require('./download.cjs');

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

async function readEntries(file, dest, maxBytes) {
    const handle = await require$$0.open(file, 'r');
    try {
        const { size } = await handle.stat();
        // The end-of-central-directory record is in the last 22 + 65535 bytes.
        const tailSize = Math.min(size, 22 + 0xffff);
        const tail = Buffer.alloc(tailSize);
        await handle.read(tail, 0, tailSize, size - tailSize);
        let eocd = -1;
        for (let i = tailSize - 22; i >= 0; i--) {
            if (tail.readUInt32LE(i) === 0x06054b50) {
                eocd = i;
                break;
            }
        }
        if (eocd === -1)
            throw new startup.ActionError('The zip archive has no central directory; refused.');
        const count = tail.readUInt16LE(eocd + 10);
        const cdSize = tail.readUInt32LE(eocd + 12);
        const cdOffset = tail.readUInt32LE(eocd + 16);
        if (count === 0xffff ||
            cdSize === 0xffffffff ||
            cdOffset === 0xffffffff ||
            cdOffset + cdSize > size) {
            throw new startup.ActionError('The zip archive uses ZIP64 or a corrupt directory, which release archives never do; refused.');
        }
        if (count > download.MAX_ENTRIES) {
            throw new startup.ActionError(`The archive holds more than ${download.MAX_ENTRIES} entries; release archives hold a handful, so it was refused.`);
        }
        const cd = Buffer.alloc(cdSize);
        let declared = 0;
        await handle.read(cd, 0, cdSize, cdOffset);
        const entries = [];
        for (let at = 0, n = 0; n < count; n++) {
            if (at + 46 > cd.length || cd.readUInt32LE(at) !== 0x02014b50) {
                throw new startup.ActionError('The zip archive has a corrupt central directory; refused.');
            }
            const madeBy = cd.readUInt8(at + 5); // host system: 3 = Unix
            const nameLength = cd.readUInt16LE(at + 28);
            const extraLength = cd.readUInt16LE(at + 30);
            const commentLength = cd.readUInt16LE(at + 32);
            const external = cd.readUInt32LE(at + 38);
            declared += cd.readUInt32LE(at + 24); // uncompressed size
            if (declared > maxBytes)
                throw new download.ArchiveTooLarge(maxBytes);
            const name = cd.subarray(at + 46, at + 46 + nameLength).toString('utf8');
            const target = download.safeEntryPath(dest, name);
            if (madeBy === 3 && ((external >>> 16) & 0o170000) === 0o120000) {
                throw new startup.ActionError(`The archive entry ${JSON.stringify(name)} is a symbolic link; release archives hold only files and directories, so it was refused.`);
            }
            entries.push({
                name,
                target,
                flags: cd.readUInt16LE(at + 8),
                method: cd.readUInt16LE(at + 10),
                crc: cd.readUInt32LE(at + 16),
                compressedSize: cd.readUInt32LE(at + 20),
                size: cd.readUInt32LE(at + 24),
                localHeader: cd.readUInt32LE(at + 42),
                unixMode: madeBy === 3 ? (external >>> 16) & 0o777 : undefined
            });
            at += 46 + nameLength + extraLength + commentLength;
        }
        return entries;
    }
    finally {
        await handle.close();
    }
}
/**
 * Unpacks a verified zip into `dest` (which must not exist yet), in this
 * process. Why not tool-cache's extractZip: it runs PowerShell (or unzip)
 * with the whole job environment, runner tokens included, and with no way to
 * pass another; unpacking here starts no program at all. The entries pass the
 * same checks as above first; each file is created exclusively, inflated with
 * Node's zlib, and its size and CRC-32 are checked against the directory.
 */
async function extractZip(file, dest, maxBytes = download.MAX_UNPACKED_BYTES) {
    const entries = await readEntries(file, dest, maxBytes);
    await require$$0.mkdir(dest);
    const handle = await require$$0.open(file, 'r');
    try {
        for (const entry of entries) {
            if (entry.name.endsWith('/')) {
                await require$$0.mkdir(entry.target, { recursive: true });
                continue;
            }
            if (entry.flags & 0x1)
                throw corrupt(entry, 'is encrypted');
            if (entry.method !== 0 && entry.method !== 8)
                throw corrupt(entry, 'uses an unknown method');
            const header = Buffer.alloc(30);
            await handle.read(header, 0, 30, entry.localHeader);
            if (header.readUInt32LE(0) !== 0x04034b50)
                throw corrupt(entry, 'has no local header');
            const start = entry.localHeader + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
            await require$$0.mkdir(path__namespace.dirname(entry.target), { recursive: true });
            await unpackEntry(file, start, entry);
            if (entry.unixMode && process.platform !== 'win32')
                await require$$0.chmod(entry.target, entry.unixMode);
        }
    }
    finally {
        await handle.close();
    }
}
/** Streams one entry to its file, counting bytes and CRC-32 as it goes. */
async function unpackEntry(file, start, entry) {
    let size = 0;
    let crc = 0;
    const check = new require$$0$1.Transform({
        transform(chunk, _encoding, done) {
            size += chunk.length;
            if (size > entry.size)
                return done(corrupt(entry, 'holds more than its directory says'));
            crc = require$$0$2.crc32(chunk, crc);
            done(null, chunk);
        }
    });
    const out = node_fs.createWriteStream(entry.target, { flags: 'wx', mode: 0o644 });
    if (entry.compressedSize === 0) {
        out.end();
        await require$$0$3.once(out, 'close');
    }
    else {
        const source = node_fs.createReadStream(file, {
            start,
            end: start + entry.compressedSize - 1,
            highWaterMark: 1 << 20
        });
        if (entry.method === 8)
            await promises.pipeline(source, require$$0$2.createInflateRaw(), check, out);
        else
            await promises.pipeline(source, check, out);
    }
    if (size !== entry.size || crc >>> 0 !== entry.crc) {
        throw corrupt(entry, 'does not match its size or CRC-32');
    }
}
function corrupt(entry, what) {
    return new startup.ActionError(`The zip entry ${JSON.stringify(entry.name)} ${what}; the archive is corrupt, so nothing was installed.`);
}

exports.extractZip = extractZip;
