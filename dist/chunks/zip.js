import { open } from 'node:fs/promises';
import { A as ActionError } from './errors.js';
import { M as MAX_UNPACKED_BYTES, a as MAX_ENTRIES, A as ArchiveTooLarge, s as safeEntryPath } from './download.js';
import 'node:crypto';
import 'node:events';
import 'node:fs';
import 'node:path';
import 'node:stream/promises';
import 'node:zlib';
import './releases.js';
import './toolcache.js';
import './core.js';
import 'os';
import 'crypto';
import 'fs';
import 'path';
import 'node:os';
import './failures.js';
import './http.js';
import 'node:url';
import './_commonjsHelpers.js';
import 'node:assert';
import 'node:async_hooks';
import 'node:stream';
import 'node:http';
import 'node:net';
import 'node:querystring';
import 'node:buffer';
import 'node:diagnostics_channel';
import 'node:util';
import 'node:tls';
import 'node:perf_hooks';
import 'node:util/types';
import 'node:sqlite';
import 'node:worker_threads';
import './shutdown.js';
import './settings.js';
import './retry.js';
import './text.js';

/**
 * Reads a zip's central directory and refuses it if any entry could land
 * outside the extraction directory or is a symbolic link, before any
 * extractor sees it. Extractors differ here (unzip strips `../` silently,
 * others follow links), so the rule is enforced by us, the same as for tar.
 * The sizes the directory declares are held to the same cap as a tar's.
 */
async function checkZipEntries(file, dest, maxBytes = MAX_UNPACKED_BYTES) {
    const handle = await open(file, 'r');
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
            throw new ActionError('The zip archive has no central directory; refused.');
        const count = tail.readUInt16LE(eocd + 10);
        const cdSize = tail.readUInt32LE(eocd + 12);
        const cdOffset = tail.readUInt32LE(eocd + 16);
        if (count === 0xffff ||
            cdSize === 0xffffffff ||
            cdOffset === 0xffffffff ||
            cdOffset + cdSize > size) {
            throw new ActionError('The zip archive uses ZIP64 or a corrupt directory, which release archives never do; refused.');
        }
        if (count > MAX_ENTRIES) {
            throw new ActionError(`The archive holds more than ${MAX_ENTRIES} entries; release archives hold a handful, so it was refused.`);
        }
        const cd = Buffer.alloc(cdSize);
        let declared = 0;
        await handle.read(cd, 0, cdSize, cdOffset);
        const names = [];
        for (let at = 0, n = 0; n < count; n++) {
            if (at + 46 > cd.length || cd.readUInt32LE(at) !== 0x02014b50) {
                throw new ActionError('The zip archive has a corrupt central directory; refused.');
            }
            const madeBy = cd.readUInt8(at + 5); // host system: 3 = Unix
            const nameLength = cd.readUInt16LE(at + 28);
            const extraLength = cd.readUInt16LE(at + 30);
            const commentLength = cd.readUInt16LE(at + 32);
            const external = cd.readUInt32LE(at + 38);
            declared += cd.readUInt32LE(at + 24); // uncompressed size
            if (declared > maxBytes)
                throw new ArchiveTooLarge(maxBytes);
            const name = cd.subarray(at + 46, at + 46 + nameLength).toString('utf8');
            safeEntryPath(dest, name);
            if (madeBy === 3 && ((external >>> 16) & 0o170000) === 0o120000) {
                throw new ActionError(`The archive entry ${JSON.stringify(name)} is a symbolic link; release archives hold only files and directories, so it was refused.`);
            }
            names.push(name);
            at += 46 + nameLength + extraLength + commentLength;
        }
        return names;
    }
    finally {
        await handle.close();
    }
}

export { checkZipEntries };
