'use strict';

Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });

const startup = require('./startup.cjs');
const fs = require('fs');
const os = require('os');
const path = require('path');
const index = require('./index.cjs');
const require$$5 = require('assert');
const path$1 = require('node:path');

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

const fs__namespace = /*#__PURE__*/_interopNamespaceDefault(fs);
const os__namespace = /*#__PURE__*/_interopNamespaceDefault(os);
const path__namespace = /*#__PURE__*/_interopNamespaceDefault(path);
const path__namespace$1 = /*#__PURE__*/_interopNamespaceDefault(path$1);

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
process.platform === 'win32';
process.platform === 'darwin';
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
    arch = arch || os__namespace.arch();
    // attempt to resolve an explicit version
    if (!isExplicitVersion(versionSpec)) {
        const localVersions = findAllVersions(toolName, arch);
        const match = evaluateVersions(localVersions, versionSpec);
        versionSpec = match;
    }
    // check for the explicit version in the cache
    let toolPath = '';
    if (versionSpec) {
        versionSpec = index.semverExports.clean(versionSpec) || '';
        const cachePath = path__namespace.join(_getCacheDirectory(), toolName, versionSpec, arch);
        startup.debug(`checking cache: ${cachePath}`);
        if (fs__namespace.existsSync(cachePath) && fs__namespace.existsSync(`${cachePath}.complete`)) {
            startup.debug(`Found tool in cache ${toolName} ${versionSpec} ${arch}`);
            toolPath = cachePath;
        }
        else {
            startup.debug('not found');
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
    arch = arch || os__namespace.arch();
    const toolPath = path__namespace.join(_getCacheDirectory(), toolName);
    if (fs__namespace.existsSync(toolPath)) {
        const children = fs__namespace.readdirSync(toolPath);
        for (const child of children) {
            if (isExplicitVersion(child)) {
                const fullPath = path__namespace.join(toolPath, child, arch || '');
                if (fs__namespace.existsSync(fullPath) && fs__namespace.existsSync(`${fullPath}.complete`)) {
                    versions.push(child);
                }
            }
        }
    }
    return versions;
}
/**
 * Check if version string is explicit
 *
 * @param versionSpec      version string to check
 */
function isExplicitVersion(versionSpec) {
    const c = index.semverExports.clean(versionSpec) || '';
    startup.debug(`isExplicit: ${c}`);
    const valid = index.semverExports.valid(c) != null;
    startup.debug(`explicit? ${valid}`);
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
    startup.debug(`evaluating ${versions.length} versions`);
    versions = versions.sort((a, b) => {
        if (index.semverExports.gt(a, b)) {
            return 1;
        }
        return -1;
    });
    for (let i = versions.length - 1; i >= 0; i--) {
        const potential = versions[i];
        const satisfied = index.semverExports.satisfies(potential, versionSpec);
        if (satisfied) {
            version = potential;
            break;
        }
    }
    if (version) {
        startup.debug(`matched: ${version}`);
    }
    else {
        startup.debug('match not found');
    }
    return version;
}
/**
 * Gets RUNNER_TOOL_CACHE
 */
function _getCacheDirectory() {
    const cacheDirectory = process.env['RUNNER_TOOL_CACHE'] || '';
    require$$5.ok(cacheDirectory, 'Expected RUNNER_TOOL_CACHE to be defined');
    return cacheDirectory;
}

// tool-cache's lookup for a version range, in a module of its own that
// toolcache.ts loads with import(): only what find needs is bundled into its
// chunk (not tool-cache's HTTP client), and none of it loads on an exact hit.
/** The highest complete cached version that satisfies `range` (tc.find's choice), if any. */
function highestCached(tool, range, arch) {
    const dir = find(tool, range, arch);
    return dir ? path__namespace$1.basename(path__namespace$1.dirname(dir)) : undefined;
}

exports.highestCached = highestCached;
