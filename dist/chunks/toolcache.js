import { j as debug, k as isDebug, w as warning, i as info } from './core.js';
import { m as mkdirP, w as which, e as exec } from './exec.js';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { a as semverExports } from './index.js';
import 'stream';
import 'util';
import { ok } from 'assert';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat, rm, mkdir, writeFile, rename } from 'node:fs/promises';
import * as path$1 from 'node:path';

var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
const IS_WINDOWS = process.platform === 'win32';
process.platform === 'darwin';
/**
 * Extract a zip
 *
 * @param file     path to the zip
 * @param dest     destination directory. Optional.
 * @returns        path to the destination directory
 */
function extractZip(file, dest) {
    return __awaiter(this, void 0, void 0, function* () {
        if (!file) {
            throw new Error("parameter 'file' is required");
        }
        dest = yield _createExtractFolder(dest);
        if (IS_WINDOWS) {
            yield extractZipWin(file, dest);
        }
        else {
            yield extractZipNix(file, dest);
        }
        return dest;
    });
}
function extractZipWin(file, dest) {
    return __awaiter(this, void 0, void 0, function* () {
        // build the powershell command
        const escapedFile = file.replace(/'/g, "''").replace(/"|\n|\r/g, ''); // double-up single quotes, remove double quotes and newlines
        const escapedDest = dest.replace(/'/g, "''").replace(/"|\n|\r/g, '');
        const pwshPath = yield which('pwsh', false);
        //To match the file overwrite behavior on nix systems, we use the overwrite = true flag for ExtractToDirectory
        //and the -Force flag for Expand-Archive as a fallback
        if (pwshPath) {
            //attempt to use pwsh with ExtractToDirectory, if this fails attempt Expand-Archive
            const pwshCommand = [
                `$ErrorActionPreference = 'Stop' ;`,
                `try { Add-Type -AssemblyName System.IO.Compression.ZipFile } catch { } ;`,
                `try { [System.IO.Compression.ZipFile]::ExtractToDirectory('${escapedFile}', '${escapedDest}', $true) }`,
                `catch { if (($_.Exception.GetType().FullName -eq 'System.Management.Automation.MethodException') -or ($_.Exception.GetType().FullName -eq 'System.Management.Automation.RuntimeException') ){ Expand-Archive -LiteralPath '${escapedFile}' -DestinationPath '${escapedDest}' -Force } else { throw $_ } } ;`
            ].join(' ');
            const args = [
                '-NoLogo',
                '-NoProfile',
                '-NonInteractive',
                '-ExecutionPolicy',
                'Unrestricted',
                '-Command',
                pwshCommand
            ];
            debug(`Using pwsh at path: ${pwshPath}`);
            yield exec(`"${pwshPath}"`, args);
        }
        else {
            const powershellCommand = [
                `$ErrorActionPreference = 'Stop' ;`,
                `try { Add-Type -AssemblyName System.IO.Compression.FileSystem } catch { } ;`,
                `if ((Get-Command -Name Expand-Archive -Module Microsoft.PowerShell.Archive -ErrorAction Ignore)) { Expand-Archive -LiteralPath '${escapedFile}' -DestinationPath '${escapedDest}' -Force }`,
                `else {[System.IO.Compression.ZipFile]::ExtractToDirectory('${escapedFile}', '${escapedDest}', $true) }`
            ].join(' ');
            const args = [
                '-NoLogo',
                '-Sta',
                '-NoProfile',
                '-NonInteractive',
                '-ExecutionPolicy',
                'Unrestricted',
                '-Command',
                powershellCommand
            ];
            const powershellPath = yield which('powershell', true);
            debug(`Using powershell at path: ${powershellPath}`);
            yield exec(`"${powershellPath}"`, args);
        }
    });
}
function extractZipNix(file, dest) {
    return __awaiter(this, void 0, void 0, function* () {
        const unzipPath = yield which('unzip', true);
        const args = [file];
        if (!isDebug()) {
            args.unshift('-q');
        }
        args.unshift('-o'); //overwrite with -o, otherwise a prompt is shown which freezes the run
        yield exec(`"${unzipPath}"`, args, { cwd: dest });
    });
}
/**
 * Finds the path to a tool version in the local installed tool cache
 *
 * @param toolName      name of the tool
 * @param versionSpec   version of the tool
 * @param arch          optional arch.  defaults to arch of computer
 */
function find(toolName, versionSpec, arch) {
    if (!toolName) {
        throw new Error('toolName parameter is required');
    }
    if (!versionSpec) {
        throw new Error('versionSpec parameter is required');
    }
    arch = arch || os.arch();
    // attempt to resolve an explicit version
    if (!isExplicitVersion(versionSpec)) {
        const localVersions = findAllVersions(toolName, arch);
        const match = evaluateVersions(localVersions, versionSpec);
        versionSpec = match;
    }
    // check for the explicit version in the cache
    let toolPath = '';
    if (versionSpec) {
        versionSpec = semverExports.clean(versionSpec) || '';
        const cachePath = path.join(_getCacheDirectory(), toolName, versionSpec, arch);
        debug(`checking cache: ${cachePath}`);
        if (fs.existsSync(cachePath) && fs.existsSync(`${cachePath}.complete`)) {
            debug(`Found tool in cache ${toolName} ${versionSpec} ${arch}`);
            toolPath = cachePath;
        }
        else {
            debug('not found');
        }
    }
    return toolPath;
}
/**
 * Finds the paths to all versions of a tool that are installed in the local tool cache
 *
 * @param toolName  name of the tool
 * @param arch      optional arch.  defaults to arch of computer
 */
function findAllVersions(toolName, arch) {
    const versions = [];
    arch = arch || os.arch();
    const toolPath = path.join(_getCacheDirectory(), toolName);
    if (fs.existsSync(toolPath)) {
        const children = fs.readdirSync(toolPath);
        for (const child of children) {
            if (isExplicitVersion(child)) {
                const fullPath = path.join(toolPath, child, arch || '');
                if (fs.existsSync(fullPath) && fs.existsSync(`${fullPath}.complete`)) {
                    versions.push(child);
                }
            }
        }
    }
    return versions;
}
function _createExtractFolder(dest) {
    return __awaiter(this, void 0, void 0, function* () {
        if (!dest) {
            // create a temp dir
            dest = path.join(_getTempDirectory(), crypto.randomUUID());
        }
        yield mkdirP(dest);
        return dest;
    });
}
/**
 * Check if version string is explicit
 *
 * @param versionSpec      version string to check
 */
function isExplicitVersion(versionSpec) {
    const c = semverExports.clean(versionSpec) || '';
    debug(`isExplicit: ${c}`);
    const valid = semverExports.valid(c) != null;
    debug(`explicit? ${valid}`);
    return valid;
}
/**
 * Get the highest satisfiying semantic version in `versions` which satisfies `versionSpec`
 *
 * @param versions        array of versions to evaluate
 * @param versionSpec     semantic version spec to satisfy
 */
function evaluateVersions(versions, versionSpec) {
    let version = '';
    debug(`evaluating ${versions.length} versions`);
    versions = versions.sort((a, b) => {
        if (semverExports.gt(a, b)) {
            return 1;
        }
        return -1;
    });
    for (let i = versions.length - 1; i >= 0; i--) {
        const potential = versions[i];
        const satisfied = semverExports.satisfies(potential, versionSpec);
        if (satisfied) {
            version = potential;
            break;
        }
    }
    if (version) {
        debug(`matched: ${version}`);
    }
    else {
        debug('match not found');
    }
    return version;
}
/**
 * Gets RUNNER_TOOL_CACHE
 */
function _getCacheDirectory() {
    const cacheDirectory = process.env['RUNNER_TOOL_CACHE'] || '';
    ok(cacheDirectory, 'Expected RUNNER_TOOL_CACHE to be defined');
    return cacheDirectory;
}
/**
 * Gets RUNNER_TEMP
 */
function _getTempDirectory() {
    const tempDirectory = process.env['RUNNER_TEMP'] || '';
    ok(tempDirectory, 'Expected RUNNER_TEMP to be defined');
    return tempDirectory;
}

const toolCache = /*#__PURE__*/Object.freeze(/*#__PURE__*/Object.defineProperty({
    __proto__: null,
    evaluateVersions,
    extractZip,
    find,
    findAllVersions,
    isExplicitVersion
}, Symbol.toStringTag, { value: 'Module' }));

const RECORD_FILE = '.setup-upsun-cli.json';
function toolCacheRoot() {
    const root = process.env.RUNNER_TOOL_CACHE;
    if (!root)
        throw new Error('RUNNER_TOOL_CACHE is not set; is this running on a GitHub Actions runner?');
    return root;
}
/** Where a version's entry lives (whether or not it exists yet). */
function entryDir(tool, version, arch) {
    return path$1.join(toolCacheRoot(), tool, version, arch);
}
/**
 * Finds a complete entry and checks it is still what was verified. The
 * cheap check: the binary's inode, size, mtime and ctime are unchanged since
 * install (any write or chmod moves ctime, which no unprivileged process can
 * set back). If that differs, the whole binary is hashed again. An entry that
 * fails is removed and reported, never used.
 */
async function findVerified(tool, version, arch) {
    const dir = find(tool, version, arch);
    if (!dir)
        return undefined;
    const entry = await readEntry(dir);
    if (entry && (await isIntact(entry)))
        return entry;
    warning(`The cached ${tool} ${version} in ${dir} no longer matches the digest verified when it was installed; it was removed and will be downloaded again.`);
    await discard(dir);
    return undefined;
}
async function readEntry(dir) {
    try {
        const record = JSON.parse(await readFile(path$1.join(dir, RECORD_FILE), 'utf8'));
        if (typeof record.binary !== 'string' ||
            typeof record.executable !== 'string' ||
            !/^[0-9a-f]{64}$/.test(record.binarySha256))
            return undefined;
        return entryFor(dir, record);
    }
    catch {
        return undefined;
    }
}
async function isIntact(entry) {
    try {
        const now = fingerprint(await stat(entry.binaryPath));
        const then = entry.record.fingerprint;
        if (then && Object.entries(now).every(([k, v]) => then[k] === v))
            return true;
        info(`The cached binary's file metadata changed since install; checking its SHA-256 again.`);
        return (await sha256File(entry.binaryPath)) === entry.record.binarySha256;
    }
    catch {
        return false;
    }
}
function fingerprint(s) {
    return { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino };
}
async function sha256File(file) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file))
        hash.update(chunk);
    return hash.digest('hex');
}
/** A fresh, private staging directory beside the entries (same filesystem). */
async function stagingDir(tool) {
    const parent = path$1.join(toolCacheRoot(), tool);
    await mkdir(parent, { recursive: true });
    const { mkdtemp } = await import('node:fs/promises');
    return mkdtemp(path$1.join(parent, '.staging-'));
}
/**
 * Moves a verified staging directory into place and marks it complete. If
 * another job got there first with the same verified binary, its entry is
 * used and ours dropped; a broken leftover is replaced.
 */
async function commit(staging, tool, version, arch, record) {
    const binaryPath = path$1.join(staging, record.binary);
    const full = { ...record, fingerprint: fingerprint(await stat(binaryPath)) };
    await writeFile(path$1.join(staging, RECORD_FILE), JSON.stringify(full, null, 2));
    const dir = entryDir(tool, version, arch);
    await mkdir(path$1.dirname(dir), { recursive: true });
    try {
        await rename(staging, dir);
    }
    catch (error) {
        if (!isExistsError(error))
            throw error;
        const theirs = await readEntry(dir);
        if (theirs && theirs.record.binarySha256 === record.binarySha256 && (await isIntact(theirs))) {
            info(`Another job installed the same verified ${tool} ${version} at the same time; using its entry.`);
            await rm(staging, { recursive: true, force: true });
            await writeFile(`${dir}.complete`, '');
            return theirs;
        }
        // A leftover from a crashed job or a tampered entry: set it aside, then retry.
        const aside = `${staging}-old`;
        await rename(dir, aside);
        await rename(staging, dir);
        await rm(aside, { recursive: true, force: true });
    }
    await writeFile(`${dir}.complete`, '');
    return entryFor(dir, full);
}
function entryFor(dir, record) {
    return {
        dir,
        binaryPath: path$1.join(dir, record.binary),
        executablePath: path$1.join(dir, record.executable),
        record
    };
}
function isExistsError(error) {
    const code = error.code;
    return code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM' || code === 'EACCES';
}
/** Removes an entry and its marker. */
async function discard(dir) {
    await rm(`${dir}.complete`, { force: true });
    await rm(dir, { recursive: true, force: true });
}

export { sha256File as a, commit as c, findVerified as f, stagingDir as s, toolCache as t };
