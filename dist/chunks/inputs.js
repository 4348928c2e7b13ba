import { h as getInput } from './core.js';
import { C as CLIS, d as CLI_NAMES } from './clis.js';
import { I as InputError } from './errors.js';
import { u as urlRefusal } from './shutdown.js';
import { f as firstControlCharacter } from './text.js';

/*
 * The `project` and `environment` inputs, checked offline so that a value
 * that cannot be an ID never reaches the API (or the job's environment).
 */
/** The platform's project IDs: lowercase letters and digits (e.g. `abcdefgh12345`). */
const PROJECT_ID = /^[a-z0-9]+$/;
/** Parses `project`: empty, or a project ID. */
function parseProjectId(raw) {
    const value = raw.trim();
    if (value === '' || PROJECT_ID.test(value))
        return value;
    throw new InputError(`Input \`project\` must be a project ID: lowercase letters and digits, such as abcdefgh12345; got ${quote$1(value)}. ` +
        `${projectHint(value)}Find the ID with \`upsun project:list\`, or in the console's project settings.`);
}
/** What the value most likely is instead of an ID, when that can be told. */
function projectHint(value) {
    if (/^https?:\/\//i.test(value))
        return 'That is a URL; the ID is the last part of its path. ';
    if (/@git\./.test(value))
        return "That is the project's git URL; the ID is the part before @. ";
    if (/[A-Z]/.test(value) && PROJECT_ID.test(value.toLowerCase()))
        return 'IDs have no uppercase letters. ';
    if (/\s/.test(value))
        return 'That looks like a title; pass the ID. ';
    return '';
}
/**
 * Parses `environment`: empty, or an environment ID or machine name.
 *
 * An environment's ID is the name of its git branch (which is why the API
 * takes it URL-encoded: `feature/login` is an ID); its machine name is a
 * lowercase slug of it. So the exact rule is git's for a branch name
 * (git-check-ref-format with --branch), which every machine name also meets.
 */
function parseEnvironment(raw, project, binary = 'upsun') {
    const value = raw.trim();
    if (value === '')
        return '';
    if (project === '') {
        throw new InputError('Input `environment` needs `project`: an environment is looked up in a project. Set `project` to the project ID as well.');
    }
    const flaw = branchNameFlaw(value);
    if (flaw) {
        throw new InputError(`Input \`environment\` must be an environment ID (its git branch name, such as main or feature/login) or its machine name; ` +
            `got ${quote$1(value)}, which ${flaw}. Run \`${binary} environment:list -p ${project}\` to see the environments.`);
    }
    return value;
}
/** Why a value cannot be a git branch name, or '' when it can be one. */
function branchNameFlaw(name) {
    // Control characters, space and the characters git reserves for revision syntax.
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    const bad = /[\u0000-\u0020\u007f~^:?*[\\]/.exec(name);
    if (bad)
        return `contains ${describeChar(bad[0])}`;
    if (name.startsWith('-'))
        return 'starts with "-"';
    if (name.includes('..'))
        return 'contains ".."';
    if (name.includes('@{'))
        return 'contains "@{"';
    if (name.startsWith('/') || name.endsWith('/') || name.includes('//'))
        return 'has an empty path component (a leading, trailing or double "/")';
    if (name.endsWith('.'))
        return 'ends with "."';
    for (const part of name.split('/')) {
        if (part.startsWith('.'))
            return 'has a component starting with "."';
        if (part.endsWith('.lock'))
            return 'has a component ending with ".lock"';
    }
    return '';
}
function describeChar(char) {
    const code = char.charCodeAt(0);
    if (char === ' ')
        return 'a space';
    if (code < 0x20 || code === 0x7f)
        return `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
    return `the character "${char}"`;
}
/** Quotes a value for an error message, bounded, control characters escaped. */
function quote$1(value) {
    const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
    return JSON.stringify(shown);
}

// semver.org's grammar for a version (no build metadata), so that parsing an
// exact version needs no semver library on the warm path (architecture.md §5).
const NUMBER = '(?:0|[1-9]\\d*)';
const PRE_ID = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const EXACT = new RegExp(`^v?(${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-${PRE_ID}(?:\\.${PRE_ID})*)?)$`);
// One comparator of a range: `5`, `5.x`, `^5.10`, `>=5.9.0`, `~5.10.0-alpha1`.
const PART = '(?:0|[1-9]\\d*|[xX*])';
const COMPARATOR = new RegExp(`^(?:[<>]=?|=|~|\\^)?v?${PART}(?:\\.${PART}){0,2}(?:-[0-9A-Za-z.-]+)?$`);
/** `A B`, `A - B` and `A || B` made of comparators; nothing else (`;`, `/`, `..`). */
function isRangeShaped(value) {
    if (/[^\S ]/.test(value))
        return false; // tabs, line breaks: not from a hand-written range
    return value.split(/\s*\|\|\s*/).every((set) => {
        const tokens = set.trim().split(/\s+/);
        return tokens.every((t, i) => COMPARATOR.test(t) || (t === '-' && i > 0 && i < tokens.length - 1));
    });
}
/** Parses `latest`, `5.11.1`, `v5.11.1` or a semver range like `5.x`. */
function parseVersion(raw) {
    const value = raw.trim();
    if (value === '' || value.toLowerCase() === 'latest')
        return { kind: 'latest' };
    const exact = EXACT.exec(value);
    if (exact)
        return { kind: 'exact', version: exact[1] };
    // A range's shape, checked here without the semver library; semver checks
    // the full grammar when the range is resolved (lookup.ts), before any request.
    if (value.length <= 100 && isRangeShaped(value))
        return { kind: 'range', range: value };
    throw badVersion(value);
}
/** The error for a `version` that is none of latest, a version or a range. */
function badVersion(value) {
    return new InputError(`Input \`version\` must be \`latest\`, an exact version such as 5.11.1 or v5.11.1, ` +
        `or a semver range such as 5.x or ^5.10; got ${quote(value)}.`);
}
/** Parses a boolean input strictly (YAML 1.2 core schema, as the runner). */
function parseBoolean(name, raw, fallback) {
    const value = raw.trim();
    if (value === '')
        return fallback;
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    throw new InputError(`Input \`${name}\` must be true or false; got ${quote(value)}.`);
}
/** Parses the `cli` input against the table of known CLIs. */
function parseCli(raw) {
    const value = raw.trim().toLowerCase() || 'upsun';
    if (Object.hasOwn(CLIS, value))
        return CLIS[value];
    throw new InputError(`Input \`cli\` must be one of ${CLI_NAMES.join(', ')}; got ${quote(raw.trim())}.`);
}
/**
 * Parses an endpoint that receives the token: https anywhere, http only on
 * loopback (local testing). Returns it without a trailing slash.
 */
function parseSecureUrl(name, raw, fallback) {
    const value = raw.trim() || fallback;
    const why = urlRefusal(parseUrl(name, value));
    if (why)
        throw new InputError(`Input \`${name}\` must use https; got ${quote(value)}. ${why}`);
    return value.replace(/\/+$/, '');
}
/**
 * Parses the optional `releases-url`: the same rule as the token's endpoints,
 * since the CLI downloaded from it runs with the token.
 */
function parseReleasesUrl(raw) {
    const value = raw.trim();
    if (value === '')
        return '';
    return parseSecureUrl('releases-url', value, '');
}
function parseUrl(name, value) {
    refuseControlCharacters(name, value);
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new InputError(`Input \`${name}\` must be an http(s) URL; got ${quote(value)}.`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new InputError(`Input \`${name}\` must be an http(s) URL; got ${quote(value)}.`);
    }
    if (url.username || url.password) {
        throw new InputError(`Input \`${name}\` must not contain credentials.`);
    }
    return url;
}
/**
 * URL and name inputs hold no control character. Checked on the raw text:
 * the URL parser drops tabs and line breaks silently, so
 * `https://mirror\n::set-output …` would pass it and reach the log whole.
 * (Whitespace around a value is trimmed first, as for every input.)
 */
function refuseControlCharacters(name, value) {
    const found = firstControlCharacter(value);
    if (found) {
        throw new InputError(`Input \`${name}\` contains ${found.name} at character ${found.index + 1}; ` +
            'a URL or name never holds control characters. Check the value (or the variable or secret it comes from) and write it on one line.');
    }
}
/** Reads a URL or name input, refusing control characters inside it. */
function plainInput(name) {
    const value = getInput(name);
    refuseControlCharacters(name, value);
    return value;
}
/** Quotes a non-secret value for an error message, bounded in length. */
function quote(value) {
    const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
    return JSON.stringify(shown);
}
/** Reads every input once, up front. Does not mask or use the token. */
function readInputs() {
    const cli = parseCli(plainInput('cli'));
    const project = parseProjectId(plainInput('project'));
    return Object.freeze({
        cli,
        version: parseVersion(plainInput('version')),
        releasesUrl: parseReleasesUrl(plainInput('releases-url')),
        githubToken: getInput('github-token').trim(),
        token: getInput('token').trim(),
        verifyToken: parseBoolean('verify-token', getInput('verify-token'), true),
        authUrl: parseSecureUrl('auth-url', plainInput('auth-url'), cli.defaultAuthUrl),
        apiUrl: parseSecureUrl('api-url', plainInput('api-url'), cli.defaultApiUrl),
        authUrlGiven: getInput('auth-url').trim() !== '',
        apiUrlGiven: getInput('api-url').trim() !== '',
        sshCert: parseBoolean('ssh-cert', getInput('ssh-cert'), false),
        cleanup: parseBoolean('cleanup', getInput('cleanup'), true),
        project,
        environment: parseEnvironment(plainInput('environment'), project, cli.binary)
    });
}

export { badVersion as b, readInputs as r };
