import { s as setSecret, g as group, i as info, e as exportVariable, n as notice, w as warning, a as setOutput, b as setFailed, c as addPath } from './chunks/core.js';
import * as path from 'node:path';
import { h as homes, o as openCliSession } from './chunks/cliFiles.js';
import { c as cliVar, a as cliEnv, b as ciSettings } from './chunks/clis.js';
import { I as InputError, A as ActionError, e as errorMessage, a as asError } from './chunks/errors.js';
import { readFileSync } from 'node:fs';
import { p as printable } from './chunks/text.js';
import { r as readInputs } from './chunks/inputs.js';
import * as os from 'node:os';
import { rm } from 'node:fs/promises';
import { e as exactRelease } from './chunks/releases.js';
import { f as findVerified, s as stagingArea, c as commit } from './chunks/toolcache.js';
import { a as adminNotice } from './chunks/messages.js';
import { s as shutdown } from './chunks/shutdown.js';
import { c as checkSshCertVersion } from './chunks/requirements.js';
import { s as saveState, S as State } from './chunks/state.js';
import { EOL } from 'os';
import { promises, constants } from 'fs';
import 'crypto';
import 'path';
import 'node:crypto';
import './chunks/childEnv.js';

var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
const { access, appendFile, writeFile } = promises;
const SUMMARY_ENV_VAR = 'GITHUB_STEP_SUMMARY';
class Summary {
    constructor() {
        this._buffer = '';
    }
    /**
     * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
     * Also checks r/w permissions.
     *
     * @returns step summary file path
     */
    filePath() {
        return __awaiter(this, void 0, void 0, function* () {
            if (this._filePath) {
                return this._filePath;
            }
            const pathFromEnv = process.env[SUMMARY_ENV_VAR];
            if (!pathFromEnv) {
                throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
            }
            try {
                yield access(pathFromEnv, constants.R_OK | constants.W_OK);
            }
            catch (_a) {
                throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
            }
            this._filePath = pathFromEnv;
            return this._filePath;
        });
    }
    /**
     * Wraps content in an HTML tag, adding any HTML attributes
     *
     * @param {string} tag HTML tag to wrap
     * @param {string | null} content content within the tag
     * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
     *
     * @returns {string} content wrapped in HTML element
     */
    wrap(tag, content, attrs = {}) {
        const htmlAttrs = Object.entries(attrs)
            .map(([key, value]) => ` ${key}="${value}"`)
            .join('');
        if (!content) {
            return `<${tag}${htmlAttrs}>`;
        }
        return `<${tag}${htmlAttrs}>${content}</${tag}>`;
    }
    /**
     * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
     *
     * @param {SummaryWriteOptions} [options] (optional) options for write operation
     *
     * @returns {Promise<Summary>} summary instance
     */
    write(options) {
        return __awaiter(this, void 0, void 0, function* () {
            const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
            const filePath = yield this.filePath();
            const writeFunc = overwrite ? writeFile : appendFile;
            yield writeFunc(filePath, this._buffer, { encoding: 'utf8' });
            return this.emptyBuffer();
        });
    }
    /**
     * Clears the summary buffer and wipes the summary file
     *
     * @returns {Summary} summary instance
     */
    clear() {
        return __awaiter(this, void 0, void 0, function* () {
            return this.emptyBuffer().write({ overwrite: true });
        });
    }
    /**
     * Returns the current summary buffer as a string
     *
     * @returns {string} string of summary buffer
     */
    stringify() {
        return this._buffer;
    }
    /**
     * If the summary buffer is empty
     *
     * @returns {boolen} true if the buffer is empty
     */
    isEmptyBuffer() {
        return this._buffer.length === 0;
    }
    /**
     * Resets the summary buffer without writing to summary file
     *
     * @returns {Summary} summary instance
     */
    emptyBuffer() {
        this._buffer = '';
        return this;
    }
    /**
     * Adds raw text to the summary buffer
     *
     * @param {string} text content to add
     * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
     *
     * @returns {Summary} summary instance
     */
    addRaw(text, addEOL = false) {
        this._buffer += text;
        return addEOL ? this.addEOL() : this;
    }
    /**
     * Adds the operating system-specific end-of-line marker to the buffer
     *
     * @returns {Summary} summary instance
     */
    addEOL() {
        return this.addRaw(EOL);
    }
    /**
     * Adds an HTML codeblock to the summary buffer
     *
     * @param {string} code content to render within fenced code block
     * @param {string} lang (optional) language to syntax highlight code
     *
     * @returns {Summary} summary instance
     */
    addCodeBlock(code, lang) {
        const attrs = Object.assign({}, (lang && { lang }));
        const element = this.wrap('pre', this.wrap('code', code), attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML list to the summary buffer
     *
     * @param {string[]} items list of items to render
     * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
     *
     * @returns {Summary} summary instance
     */
    addList(items, ordered = false) {
        const tag = ordered ? 'ol' : 'ul';
        const listItems = items.map(item => this.wrap('li', item)).join('');
        const element = this.wrap(tag, listItems);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML table to the summary buffer
     *
     * @param {SummaryTableCell[]} rows table rows
     *
     * @returns {Summary} summary instance
     */
    addTable(rows) {
        const tableBody = rows
            .map(row => {
            const cells = row
                .map(cell => {
                if (typeof cell === 'string') {
                    return this.wrap('td', cell);
                }
                const { header, data, colspan, rowspan } = cell;
                const tag = header ? 'th' : 'td';
                const attrs = Object.assign(Object.assign({}, (colspan && { colspan })), (rowspan && { rowspan }));
                return this.wrap(tag, data, attrs);
            })
                .join('');
            return this.wrap('tr', cells);
        })
            .join('');
        const element = this.wrap('table', tableBody);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds a collapsable HTML details element to the summary buffer
     *
     * @param {string} label text for the closed state
     * @param {string} content collapsable content
     *
     * @returns {Summary} summary instance
     */
    addDetails(label, content) {
        const element = this.wrap('details', this.wrap('summary', label) + content);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML image tag to the summary buffer
     *
     * @param {string} src path to the image you to embed
     * @param {string} alt text description of the image
     * @param {SummaryImageOptions} options (optional) addition image attributes
     *
     * @returns {Summary} summary instance
     */
    addImage(src, alt, options) {
        const { width, height } = options || {};
        const attrs = Object.assign(Object.assign({}, (width && { width })), (height && { height }));
        const element = this.wrap('img', null, Object.assign({ src, alt }, attrs));
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML section heading element
     *
     * @param {string} text heading text
     * @param {number | string} [level=1] (optional) the heading level, default: 1
     *
     * @returns {Summary} summary instance
     */
    addHeading(text, level) {
        const tag = `h${level}`;
        const allowedTag = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(tag)
            ? tag
            : 'h1';
        const element = this.wrap(allowedTag, text);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML thematic break (<hr>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addSeparator() {
        const element = this.wrap('hr', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML line break (<br>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addBreak() {
        const element = this.wrap('br', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML blockquote to the summary buffer
     *
     * @param {string} text quote text
     * @param {string} cite (optional) citation url
     *
     * @returns {Summary} summary instance
     */
    addQuote(text, cite) {
        const attrs = Object.assign({}, (cite && { cite }));
        const element = this.wrap('blockquote', text, attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML anchor tag to the summary buffer
     *
     * @param {string} text link text/content
     * @param {string} href hyperlink
     *
     * @returns {Summary} summary instance
     */
    addLink(text, href) {
        const element = this.wrap('a', text, { href });
        return this.addRaw(element).addEOL();
    }
}
const _summary = new Summary();
const summary = _summary;

const MIN_LENGTH = 8;
const MAX_LENGTH = 1024;
const EMPTY_HINT = "If this run comes from a fork's pull request or from Dependabot, repository secrets are empty by design: " +
    'run the job on push, or give Dependabot its own secret.';
/**
 * Picks the token (the input, else `{P}TOKEN` from the environment), masks
 * it before anything else touches it, then checks it offline. Returns '' for
 * install-only runs. Error messages name the input, never the value.
 */
function acceptToken(input, cli) {
    const envName = cliVar(cli, 'TOKEN');
    const fromEnv = input === '' && (process.env[envName] ?? '').trim() !== '';
    const token = fromEnv ? (process.env[envName] ?? '').trim() : input;
    const source = fromEnv ? `The ${envName} environment variable` : 'Input `token`';
    if (token === '')
        return { token: '', fromEnv: false };
    // Too short to be a token, and too short to mask without blanking the log.
    if (token.length < MIN_LENGTH) {
        throw new InputError(`${source} is too short to be an API token (${token.length} characters). ${EMPTY_HINT}`);
    }
    setSecret(token);
    // The runner masks line by line; mask each line too, in case one is refused below.
    for (const line of token.split(/[\r\n]+/))
        if (line.length >= MIN_LENGTH && line !== token)
            setSecret(line);
    checkTokenText(token, source);
    return { token, fromEnv };
}
/** Offline checks: printable ASCII without spaces, and a sane length. */
function checkTokenText(token, source = 'Input `token`') {
    if (/[\r\n]/.test(token)) {
        throw new InputError(`${source} contains a line break. Paste the API token alone, on one line.`);
    }
    if (/\s/.test(token))
        throw new InputError(`${source} contains whitespace. An API token is one word.`);
    if (/[^\x21-\x7e]/.test(token)) {
        throw new InputError(`${source} contains control or non-ASCII characters. Copy the API token again.`);
    }
    if (token.length > MAX_LENGTH) {
        throw new InputError(`${source} is ${token.length} characters long; an API token is far shorter. Check the secret.`);
    }
}
/** The message for an empty token where one is required. */
function missingTokenMessage(reason) {
    return `Input \`token\` is empty, but ${reason} needs an API token. ${EMPTY_HINT}`;
}

/** The warning for this run, or undefined when its trigger is not one of these. */
function untrustedCodeWarning(tokenVariable, env = process.env) {
    const event = env.GITHUB_EVENT_NAME;
    const advice = `The API token is in ${tokenVariable} for every later step of this job: a later step that checks out and runs the pull request's code ` +
        '(a build, tests, an install script) can read it. Run that code in a separate job without the token, or trigger on `pull_request`, which gets no secrets from forks.';
    if (event === 'pull_request_target') {
        return `This run was triggered by \`pull_request_target\`, which has this repository's secrets. ${advice}`;
    }
    if (event !== 'workflow_run')
        return undefined;
    const payload = readPayload(env.GITHUB_EVENT_PATH);
    if (!payload) {
        return `This run was triggered by \`workflow_run\` and its event payload (GITHUB_EVENT_PATH) could not be read, so it may come from a fork. ${advice}`;
    }
    const head = payload.workflow_run?.head_repository;
    const base = payload.repository;
    const fromFork = !head ||
        (head.id !== undefined && base?.id !== undefined
            ? head.id !== base.id
            : head.full_name !== base?.full_name);
    if (!fromFork)
        return undefined;
    const name = typeof head?.full_name === 'string' ? ` ${printable(head.full_name)}` : '';
    return `This run was triggered by \`workflow_run\` for code from the fork${name}, with this repository's secrets. ${advice}`;
}
function readPayload(file) {
    if (!file)
        return undefined;
    try {
        const data = JSON.parse(readFileSync(file, 'utf8'));
        return data && typeof data === 'object' ? data : undefined;
    }
    catch {
        return undefined;
    }
}

/**
 * Checks the token online the way the CLI uses it: exchange it for an
 * access token, then ask who it belongs to.
 */
async function verifyToken(options, network = {}) {
    const { HttpError, explainFailure } = await import('./chunks/failures.js');
    const { RedirectRefused, send } = await import('./chunks/http.js');
    const { withRetry } = await import('./chunks/retry.js');
    const tokenUrl = `${options.authUrl}/oauth2/token`;
    const authHost = new URL(options.authUrl).host;
    const exchange = await withRetry(`Exchanging the API token at ${authHost}`, async () => {
        const response = await send(tokenUrl, {
            method: 'POST',
            headers: {
                'content-type': 'application/x-www-form-urlencoded',
                accept: 'application/json'
            },
            body: new URLSearchParams({
                client_id: options.cli.oauthClientId,
                client_secret: '',
                grant_type: 'api_token',
                api_token: options.token
            }).toString(),
            dispatcher: network.dispatcher
        });
        return readJson(response.body, tokenUrl, response.statusCode);
    }, network.sleep).catch((error) => {
        if (error instanceof HttpError)
            throw tokenRejection(error, authHost);
        if (error instanceof RedirectRefused)
            throw new ActionError(`${error.message} Check \`auth-url\`.`, { cause: error });
        throw explainFailure(error, tokenUrl, 'check the API token');
    });
    const accessToken = typeof exchange.access_token === 'string' ? exchange.access_token : '';
    if (accessToken === '')
        throw new ActionError(`${authHost} answered the token exchange without an access token.`);
    // Masked the moment it exists.
    setSecret(accessToken);
    const meUrl = `${options.apiUrl}/users/me`;
    const apiHost = new URL(options.apiUrl).host;
    const me = await withRetry(`Reading the token's user from ${apiHost}`, async () => {
        const response = await send(meUrl, {
            headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
            dispatcher: network.dispatcher
        });
        return readJson(response.body, meUrl, response.statusCode);
    }, network.sleep).catch((error) => {
        if (error instanceof RedirectRefused)
            throw new ActionError(`${error.message} Check \`api-url\`.`, { cause: error });
        if (error instanceof HttpError) {
            throw new ActionError(`${apiHost} refused the access token issued for the API token (HTTP ${error.status} on /users/me). ` +
                'Check that `api-url` and `auth-url` belong to the same platform.', { cause: error });
        }
        throw explainFailure(error, meUrl, "read the token's user");
    });
    const id = typeof me.id === 'string' || typeof me.id === 'number' ? String(me.id) : '';
    const email = typeof me.email === 'string' ? me.email : '';
    if (!id)
        throw new ActionError(`${apiHost} answered /users/me without a user id.`);
    return { user: { id, email }, accessToken };
}
async function readJson(body, url, status) {
    const text = await body.text();
    try {
        const value = JSON.parse(text);
        if (value && typeof value === 'object' && !Array.isArray(value))
            return value;
    }
    catch {
        // fall through
    }
    throw new ActionError(`${new URL(url).host} answered ${new URL(url).pathname} with something that is not a JSON object (HTTP ${status}). ` +
        'Is the URL right, or is a proxy answering in its place?');
}
function tokenRejection(error, host) {
    let code = '';
    try {
        const parsed = JSON.parse(error.body);
        code = typeof parsed.error === 'string' ? parsed.error : '';
    }
    catch {
        // not JSON; the status decides
    }
    if (error.status === 400 || error.status === 401) {
        return new ActionError(`The API token was rejected by ${host} (HTTP ${error.status}${code ? `, ${code}` : ''}): it is invalid, revoked or expired. ` +
            'Create a new one in the console under My profile > API tokens, store it as a secret, and pass it in `token`.');
    }
    if (error.status === 403) {
        return new ActionError(`${host} refused the API token (HTTP 403 Forbidden). The token's user may be blocked, or the organization may restrict API tokens.`);
    }
    return new ActionError(`${host} answered the token exchange with HTTP ${error.status} (after retries). Try again later.`);
}

const AVAILABLE = 'Linux x64 and arm64, macOS (Intel and Apple silicon) and Windows x64';
/**
 * Maps the runner's OS and CPU to the release asset. The defaults are the
 * only place the real values enter; tests pass their own.
 */
function resolveTarget(platform = process.platform, arch = process.arch) {
    if (platform === 'linux' && (arch === 'x64' || arch === 'arm64')) {
        const goArch = arch === 'x64' ? 'amd64' : 'arm64';
        return { assetSuffix: `linux_${goArch}`, archive: 'tar.gz', exeSuffix: '' };
    }
    if (platform === 'darwin' && (arch === 'x64' || arch === 'arm64')) {
        // One universal binary serves both Mac architectures.
        return { assetSuffix: 'darwin_all', archive: 'tar.gz', exeSuffix: '' };
    }
    if (platform === 'win32' && (arch === 'x64' || arch === 'arm64')) {
        return {
            assetSuffix: 'windows_amd64',
            archive: 'zip',
            exeSuffix: '.exe',
            emulationWarning: arch === 'arm64'
                ? 'No Windows arm64 build is published; installing the x64 build, which runs under emulation.'
                : undefined
        };
    }
    throw new ActionError(`This runner is ${platform}/${arch}, for which no CLI build is published. Builds exist for ${AVAILABLE}.`);
}
/** The release asset's file name, e.g. `upsun_5.11.1_linux_amd64.tar.gz`. */
function assetName(binary, version, target) {
    return `${binary}_${version}_${target.assetSuffix}.${target.archive}`;
}

/**
 * The Go builds on GitHub Releases (or a mirror with the same layout): the
 * archive for this runner, verified against the release's checksums.txt.
 * Network modules (undici) are imported only when they are needed.
 */
function githubChannel(inputs, network = {}) {
    return {
        async resolve(spec) {
            // An exact version needs no request: its tag and repository follow from it.
            if (spec.kind === 'exact')
                return exactRelease(spec.version, inputs.releasesUrl);
            const { resolveRelease } = await import('./chunks/lookup.js');
            return resolveRelease(spec, {
                releasesUrl: inputs.releasesUrl,
                githubToken: inputs.githubToken,
                serverUrl: process.env.GITHUB_SERVER_URL,
                apiUrl: process.env.GITHUB_API_URL
            }, network);
        },
        async fetch(release, target, staging) {
            const asset = assetName(inputs.cli.binary, release.version, target);
            const { downloadVerified } = await import('./chunks/download.js').then(n => n.d);
            const download = await downloadVerified(release, asset, target, staging, network);
            const binary = `${inputs.cli.binary}${target.exeSuffix}`;
            const binarySha256 = download.files.get(binary);
            if (!binarySha256) {
                await rm(download.dir, { recursive: true, force: true });
                throw new ActionError(`${asset} does not contain ${binary}; nothing was installed.`);
            }
            return {
                dir: download.dir,
                bytes: download.bytes,
                record: {
                    asset,
                    source: 'checksums.txt',
                    archiveSha256: download.sha256,
                    binary,
                    binarySha256,
                    executable: binary
                }
            };
        }
    };
}

async function channelFor(inputs, network) {
    return inputs.cli.channel.kind === 'phar-manifest'
        ? (await import('./chunks/phar.js')).pharChannel(inputs, network)
        : githubChannel(inputs, network);
}
/**
 * Finds the requested version in the tool cache, or downloads, verifies and
 * caches it. Network code is loaded only when it is needed: a cache hit for
 * an exact version touches nothing but the file system.
 */
async function install(inputs, target, arch = os.arch(), network = {}) {
    const cli = inputs.cli;
    const channel = await channelFor(inputs, network);
    await channel.preflight?.();
    const release = await group(`Resolving ${cli.title} version`, () => resolveRelease(channel, inputs.version));
    const version = release.version;
    const cached = await findVerified(cli.binary, version, arch);
    if (cached) {
        const { asset, archiveSha256 } = cached.record;
        info(`Found ${cli.title} ${version} in the tool cache: ${cached.dir}`);
        // The record is a file in the tool cache: printed as outside text.
        info(`Verified: SHA-256 ${printable(archiveSha256)} of ${printable(asset)} at install; unchanged since.`);
        return {
            version,
            dir: cached.dir,
            executablePath: cached.executablePath,
            cacheHit: true,
            verification: `cached entry unchanged since ${asset} was verified (SHA-256 ${archiveSha256})`
        };
    }
    return group(`Downloading ${cli.title} ${version}`, async () => {
        const started = Date.now();
        // What runs `--version` after the download loads during it, off the
        // critical path (issue 14; npm run bench).
        const exec = import('./chunks/exec.js').then(n => n.e);
        exec.catch(() => undefined); // awaited below; never an unhandled rejection
        // Staging directories not committed (a failed or retried download) are
        // removed whatever happens; one left by a killed step is swept later.
        const staging = stagingArea(cli.binary);
        let fetched;
        let entry;
        try {
            fetched = await channel.fetch(release, target, staging.create);
            const { asset, source, archiveSha256 } = fetched.record;
            info(`Verified: SHA-256 ${archiveSha256} of ${printable(asset)} matches ${printable(source)} (${(fetched.bytes / 1e6).toFixed(1)} MB in ${elapsed(started)}).`);
            entry = await commit(fetched.dir, cli.binary, version, arch, fetched.record);
        }
        finally {
            await staging.close();
        }
        const { asset, source, archiveSha256 } = fetched.record;
        info(`Cached in ${entry.dir}`);
        await checkReportedVersion(entry.executablePath, version, cli, exec);
        return {
            version,
            dir: entry.dir,
            executablePath: entry.executablePath,
            cacheHit: false,
            verification: `${asset} matched ${source} (SHA-256 ${archiveSha256})`
        };
    });
}
async function resolveRelease(channel, spec) {
    const started = Date.now();
    const release = await channel.resolve(spec);
    if (spec.kind === 'exact')
        info(`Version ${release.version} was given exactly.`);
    else {
        const how = spec.kind === 'latest' ? 'latest' : `range ${spec.range}`;
        info(`Resolved ${how} to ${release.version} in ${elapsed(started)}.`);
    }
    info(`Published at ${printable(release.where)}`);
    return release;
}
/**
 * Runs `<cli> --version` once after a fresh install: proves the CLI runs on
 * this runner and is the version we meant to install.
 */
async function checkReportedVersion(executable, version, cli, exec) {
    const { getExecOutput } = await exec;
    const result = await getExecOutput(executable, ['--version'], {
        silent: true,
        ignoreReturnCode: true,
        env: cliEnv(cli)
    });
    const out = `${result.stdout}\n${result.stderr}`.trim();
    const reported = new RegExp(`(^|\\s)v?${version.replace(/\./g, '\\.')}(\\s|$)`, 'm');
    if (result.exitCode !== 0 || !reported.test(out)) {
        throw new ActionError(`${executable} --version did not report ${version} (exit code ${result.exitCode}, output: ${JSON.stringify(out.slice(0, 200))}).`);
    }
    info(`${cli.binary} --version: ${printable(out.split(/\r\n|\r|\n/)[0])}`);
}
function elapsed(since) {
    return `${((Date.now() - since) / 1000).toFixed(2)} s`;
}

/*
 * Binds later CLI steps to the project: the variables the CLI itself reads
 * for its default project and environment, the log, and the outputs.
 *
 * The prefix is the platform's service prefix, `PLATFORM_`, for all three
 * CLIs (`service.env_prefix` in each CLI's config), not the CLI's own
 * `UPSUN_CLI_`-style prefix: no `UPSUN_PROJECT` exists. The action never
 * exports PLATFORM_TREE_ID, PLATFORM_ROUTES, PLATFORM_APPLICATION or
 * PLATFORM_RELATIONSHIPS: they make the CLI believe it runs inside an app
 * container and act on localhost.
 */
const PROJECT_VARIABLE = 'PLATFORM_PROJECT';
const ENVIRONMENT_VARIABLE = 'PLATFORM_BRANCH';
/**
 * Exports the binding, says what it is, and sets the outputs. Called only
 * once everything else succeeded, so that a failed step exports nothing.
 * `online` is undefined when nothing was checked online, for the reason
 * `uncheckedBecause` gives.
 */
function bindProject(inputs, online, uncheckedBecause) {
    const projectId = inputs.project;
    const checked = online?.project;
    if (projectId) {
        // Checked: the environment's own ID (the input may be its machine name).
        // Unchecked: the input as given (the CLI matches ID, then machine name).
        const branch = checked ? (checked.environment?.id ?? '') : inputs.environment;
        exportVariable(PROJECT_VARIABLE, projectId);
        if (branch)
            exportVariable(ENVIRONMENT_VARIABLE, branch);
        const names = `${PROJECT_VARIABLE}=${projectId}${branch ? `, ${ENVIRONMENT_VARIABLE}=${printable(branch)}` : ''}`;
        if (online && checked) {
            report(checked, online.user);
            info(`Later steps use this project${branch ? ' and environment' : ''} by default: ${names}.`);
        }
        else {
            info(`${names} exported unchecked (${uncheckedBecause}): ` +
                'later steps fail there if the project or environment is not accessible.');
        }
        warnInheritedBranch(projectId, branch);
    }
    setOutputs$1(checked);
}
/** What the check found, in the log. */
function report(checked, user) {
    const { project, environment } = checked;
    info(`Project ${project.id}: ${printable(project.title)} (region ${printable(project.region)}).`);
    if (environment) {
        const where = environment.url
            ? `, ${printable(environment.url)}`
            : environment.status === 'active'
                ? ', no current deployment'
                : ', so it has no URL';
        info(`Environment ${printable(environment.id)}: ${printable(environment.type)}, ${printable(environment.status)}${where}.`);
    }
    if (checked.permissions) {
        info(`Permissions of ${printable(user.email || user.id)}: ${printable(checked.permissions.join(', ') || 'none')}.`);
        if (checked.permissions.includes('admin'))
            notice(adminNotice(user, project));
    }
    else if (checked.permissionsRefused) {
        info(`The API did not show the user's permissions on the project (HTTP ${checked.permissionsRefused}); the permissions output is empty.`);
    }
}
/** The CLI applies PLATFORM_BRANCH to whatever project is selected: a stale one misleads. */
function warnInheritedBranch(projectId, branch) {
    const inherited = process.env[ENVIRONMENT_VARIABLE];
    if (branch || !inherited)
        return;
    warning(`${ENVIRONMENT_VARIABLE}=${printable(inherited)} is set in the job's environment, so later steps use that environment of project ${projectId}. ` +
        'Set the `environment` input instead (it is then checked), or remove the variable.');
}
/** Every value is the server's: a later `run: echo "${{ … }}"` must not print a command either. */
function setOutputs$1(checked) {
    const environment = checked?.environment;
    const shown = (value = '') => printable(value);
    setOutput('project-title', shown(checked?.project.title));
    setOutput('project-region', shown(checked?.project.region));
    setOutput('git-url', shown(checked?.project.gitUrl));
    setOutput('environment-type', shown(environment?.type));
    setOutput('environment-status', shown(environment?.status));
    setOutput('environment-url', shown(environment?.url));
    setOutput('permissions', shown(checked?.permissions?.join(',')));
}

/** A job summary table: facts only, never a secret. */
async function writeSummary(facts) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    const { inputs, installed, user } = facts;
    const auth = !facts.authenticated
        ? 'no token (install only)'
        : user
            ? `${user.email || 'user'} (${user.id})`
            : 'token exported, not checked online';
    const rows = [
        ['CLI', `${inputs.cli.title} (\`${inputs.cli.binary}\`)`],
        ['Version', installed.version],
        ['Tool cache', installed.cacheHit ? 'hit' : 'miss (downloaded)'],
        ['Verification', installed.verification],
        ['Authenticated as', auth]
    ];
    rows.push(...projectRows(inputs, facts.project));
    if (facts.sshCertExpiresAt)
        rows.push(['SSH certificate expires', facts.sshCertExpiresAt]);
    await summary
        .addHeading(`${inputs.cli.title} set up`, 3)
        .addTable([
        [
            { data: 'What', header: true },
            { data: 'Value', header: true }
        ],
        ...rows
    ])
        .write();
}
/** Project and environment rows: what later steps are bound to, checked or not. */
function projectRows(inputs, checked) {
    if (!inputs.project)
        return [];
    if (!checked) {
        const rows = [['Project', `<code>${inputs.project}</code> (not checked online)`]];
        if (inputs.environment)
            rows.push(['Environment', `<code>${cell(inputs.environment)}</code> (not checked online)`]);
        return rows;
    }
    const { project, environment } = checked;
    const rows = [
        ['Project', `${cell(project.title)} (<code>${project.id}</code>, ${cell(project.region)})`]
    ];
    if (environment) {
        const url = environment.url ? `, ${cell(environment.url)}` : '';
        rows.push([
            'Environment',
            `<code>${cell(environment.id)}</code> (${cell(environment.type)}, ${cell(environment.status)}${url})`
        ]);
    }
    if (checked.permissions)
        rows.push(['Permissions', cell(checked.permissions.join(', '))]);
    return rows;
}
/** Server text in an HTML table cell: printable, with markup escaped. */
function cell(value) {
    return printable(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The main step, start to finish:
 *   read and check every input → mask the token and check it offline →
 *   open a CLI session for this job (post removes it) →
 *   install the CLI (tool cache, or download + verify) while the token is
 *   checked online, then the project with it → load the SSH certificate
 *   if asked → export what later steps need (session id included) →
 *   bind later steps to the project → outputs and summary.
 */
async function run() {
    try {
        const inputs = readInputs();
        saveState(State.Cleanup, inputs.cleanup);
        // github.token is masked by the runner; a personal token passed here may not be.
        if (inputs.githubToken)
            setSecret(inputs.githubToken);
        const { token, fromEnv } = acceptToken(inputs.token, inputs.cli);
        if (inputs.sshCert && !token)
            throw new InputError(missingTokenMessage('`ssh-cert: true`'));
        if (inputs.sshCert && inputs.version.kind === 'exact')
            checkSshCertVersion(inputs.cli, inputs.version.version);
        guardDebug(inputs);
        if (token)
            warnIfUntrustedCodeMayFollow(inputs);
        const session = token ? await openSession(inputs, token) : undefined;
        const target = resolveTarget();
        if (target.emulationWarning)
            warning(target.emulationWarning);
        if (!token)
            notice(`No API token given: ${inputs.cli.title} is installed but not authenticated.`);
        const [installed, online] = await installWhileCheckingToken(inputs, target, token);
        if (inputs.sshCert)
            checkSshCertVersion(inputs.cli, installed.version);
        const later = variablesForLaterSteps(inputs, fromEnv ? '' : token, session);
        // Loaded before anything is exported, so that a refused certificate exports nothing.
        const cert = inputs.sshCert && session ? await loadCertificate(inputs, installed, token, later) : undefined;
        exportForLaterSteps(installed, later);
        bindProject(inputs, online, token ? 'verify-token is false' : 'no API token to check it with');
        setOutputs(installed, online?.user, cert);
        await writeSummary({
            inputs,
            installed,
            user: online?.user,
            project: online?.project,
            authenticated: token !== '',
            sshCertExpiresAt: cert?.expiresAt
        });
    }
    catch (error) {
        setFailed(`setup-upsun-cli failed: ${errorMessage(error)}`);
    }
    finally {
        await shutdown();
    }
}
/**
 * Gives the job a CLI session of its own and saves what post needs to remove
 * it (before any CLI run can write to it).
 */
async function openSession(inputs, token) {
    const userDir = path.join(homes(inputs.cli).home, inputs.cli.userDir);
    const session = await openCliSession(inputs.cli, userDir, token);
    saveState(State.CliSession, session);
    const name = cliVar(inputs.cli, 'SESSION_ID');
    info(session.chosenByWorkflow
        ? `CLI session: ${session.sessionId} (set by the workflow in ${name}).`
        : `CLI session: ${session.sessionId}, this job's own (${name}); the post step removes it.`);
    return session;
}
/**
 * Installs the CLI while the token is checked online (and then the project,
 * with the access token the exchange gave). Both are awaited to the end even
 * if one fails early (allSettled, not all), so that no download or retry
 * carries on after the step has failed; every failure is reported. The
 * token's result is logged after both, so each story reads in one piece.
 */
async function installWhileCheckingToken(inputs, target, token) {
    const [installed, user] = await Promise.allSettled([
        install(inputs, target),
        token && inputs.verifyToken ? checkOnline(inputs, token) : Promise.resolve(undefined)
    ]);
    if (installed.status === 'rejected' || user.status === 'rejected') {
        const reasons = [user, installed].flatMap((r) => r.status === 'rejected' ? [r.reason] : []);
        throw reasons.length === 1
            ? asError(reasons[0])
            : new ActionError(reasons.map(errorMessage).join('\nAlso: '));
    }
    if (user.value) {
        const { email, id } = user.value.user;
        info(`Authenticated as ${printable(email) || '(no email)'} (user id ${printable(id)}).`);
    }
    else if (token)
        info('verify-token is false: the token was not checked online.');
    return [installed.value, user.value];
}
/** The token exchange, then (when `project` is set) the project, with its access token. */
async function checkOnline(inputs, token) {
    const { cli, authUrl, apiUrl, project, environment } = inputs;
    const { user, accessToken } = await verifyToken({ cli, token, authUrl, apiUrl });
    if (!project)
        return { user };
    const { checkProject } = await import('./chunks/check.js');
    return {
        user,
        project: await checkProject({ cli, apiUrl, accessToken, user, projectId: project, environment })
    };
}
/**
 * Runs the CLI's ssh-cert:load in the job's session, with what later steps
 * will get (endpoints, session id) and the token (the module is loaded only
 * when asked for).
 */
async function loadCertificate(inputs, installed, token, later) {
    return group('Loading the SSH certificate', async () => (await import('./chunks/load.js')).loadSshCert({
        cli: inputs.cli,
        binaryPath: installed.executablePath,
        version: installed.version,
        env: { ...cliEnv(inputs.cli), ...later, [cliVar(inputs.cli, 'TOKEN')]: token },
        ...homes(inputs.cli)
    }));
}
/**
 * The CLI's DEBUG switch makes it print HTTP traffic, tokens included. The
 * action never passes it to its own CLI runs (see cliEnv) and says so.
 */
function guardDebug(inputs) {
    const name = cliVar(inputs.cli, 'DEBUG');
    if (process.env[name]) {
        warning(`${name} is set. With it, ${inputs.cli.binary} prints HTTP requests including tokens into the log of every later step. ` +
            'This action leaves it out of its own CLI runs; remove it from the workflow.');
    }
}
/** pull_request_target, or workflow_run from a fork: later steps may run untrusted code. */
function warnIfUntrustedCodeMayFollow(inputs) {
    const warning$1 = untrustedCodeWarning(cliVar(inputs.cli, 'TOKEN'));
    if (warning$1)
        warning(warning$1);
}
/** The CLI's variables for later steps: session, CI settings, endpoints, token. */
function variablesForLaterSteps(inputs, token, session) {
    const { cli } = inputs;
    const vars = {};
    // Later CLI runs (and the certificate refresh inside ssh and git) use the job's session.
    if (session)
        vars[cliVar(cli, 'SESSION_ID')] = session.sessionId;
    Object.assign(vars, ciSettings(cli));
    // Endpoint overrides travel with the token, so later CLI runs talk to the
    // same platform the token was checked against.
    if (inputs.authUrlGiven)
        vars[cliVar(cli, 'API_AUTH_URL')] = inputs.authUrl;
    if (inputs.apiUrlGiven)
        vars[cliVar(cli, 'API_BASE_URL')] = inputs.apiUrl;
    if (token)
        vars[cliVar(cli, 'TOKEN')] = token;
    return vars;
}
function exportForLaterSteps(installed, vars) {
    addPath(installed.dir);
    for (const [name, value] of Object.entries(vars))
        exportVariable(name, value);
}
function setOutputs(installed, user, cert) {
    setOutput('version', installed.version);
    setOutput('cli-path', installed.executablePath);
    setOutput('cache-hit', String(installed.cacheHit));
    // From the server: a later `run: echo "${{ … }}"` must not print a command either.
    setOutput('user-id', printable(user?.id ?? ''));
    setOutput('user-email', printable(user?.email ?? ''));
    setOutput('ssh-cert-expires-at', cert?.expiresAt ?? '');
    setOutput('ssh-cert-path', cert?.path ?? '');
}

// Entry of the main step (action.yml runs.main). All logic lives in main.ts.
await run();
