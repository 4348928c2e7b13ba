'use strict';

const path$1 = require('node:path');
const os = require('os');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const node_fs = require('node:fs');
const os$1 = require('node:os');

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

const path__namespace$1 = /*#__PURE__*/_interopNamespaceDefault(path$1);
const os__namespace = /*#__PURE__*/_interopNamespaceDefault(os);
const crypto__namespace = /*#__PURE__*/_interopNamespaceDefault(crypto);
const fs__namespace = /*#__PURE__*/_interopNamespaceDefault(fs);
const path__namespace = /*#__PURE__*/_interopNamespaceDefault(path);
const os__namespace$1 = /*#__PURE__*/_interopNamespaceDefault(os$1);

// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}

/**
 * Issues a command to the GitHub Actions runner
 *
 * @param command - The command name to issue
 * @param properties - Additional properties for the command (key-value pairs)
 * @param message - The message to include with the command
 * @remarks
 * This function outputs a specially formatted string to stdout that the Actions
 * runner interprets as a command. These commands can control workflow behavior,
 * set outputs, create annotations, mask values, and more.
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * @example
 * ```typescript
 * // Issue a warning annotation
 * issueCommand('warning', {}, 'This is a warning message');
 * // Output: ::warning::This is a warning message
 *
 * // Set an environment variable
 * issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
 * // Output: ::set-env name=MY_VAR::some value
 *
 * // Add a secret mask
 * issueCommand('add-mask', {}, 'secretValue123');
 * // Output: ::add-mask::secretValue123
 * ```
 *
 * @internal
 * This is an internal utility function that powers the public API functions
 * such as setSecret, warning, error, and exportVariable.
 */
function issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + os__namespace.EOL);
}
function issue(name, message = '') {
    issueCommand(name, {}, message);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}

// For internal use, subject to change.
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
function issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!fs__namespace.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    fs__namespace.appendFileSync(filePath, `${toCommandValue(message)}${os__namespace.EOL}`, {
        encoding: 'utf8'
    });
}
function prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${crypto__namespace.randomUUID()}`;
    const convertedValue = toCommandValue(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${os__namespace.EOL}${convertedValue}${os__namespace.EOL}${delimiter}`;
}

var commonjsGlobal = typeof globalThis !== 'undefined' ? globalThis : typeof window !== 'undefined' ? window : typeof global !== 'undefined' ? global : typeof self !== 'undefined' ? self : {};

function getDefaultExportFromCjs (x) {
	return x && x.__esModule && Object.prototype.hasOwnProperty.call(x, 'default') ? x['default'] : x;
}

var __awaiter$1 = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
const { access, appendFile, writeFile } = fs.promises;
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
        return __awaiter$1(this, void 0, void 0, function* () {
            if (this._filePath) {
                return this._filePath;
            }
            const pathFromEnv = process.env[SUMMARY_ENV_VAR];
            if (!pathFromEnv) {
                throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
            }
            try {
                yield access(pathFromEnv, fs.constants.R_OK | fs.constants.W_OK);
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
        return __awaiter$1(this, void 0, void 0, function* () {
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
        return __awaiter$1(this, void 0, void 0, function* () {
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
        return this.addRaw(os.EOL);
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

var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
/**
 * The code to exit an action
 */
var ExitCode;
(function (ExitCode) {
    /**
     * A code indicating that the action was successful
     */
    ExitCode[ExitCode["Success"] = 0] = "Success";
    /**
     * A code indicating that the action was a failure
     */
    ExitCode[ExitCode["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
//-----------------------------------------------------------------------
// Variables
//-----------------------------------------------------------------------
/**
 * Sets env variable for this action and future actions in the job
 * @param name the name of the variable to set
 * @param val the value of the variable. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function exportVariable(name, val) {
    const convertedVal = toCommandValue(val);
    process.env[name] = convertedVal;
    const filePath = process.env['GITHUB_ENV'] || '';
    if (filePath) {
        return issueFileCommand('ENV', prepareKeyValueMessage(name, val));
    }
    issueCommand('set-env', { name }, convertedVal);
}
/**
 * Registers a secret which will get masked from logs
 *
 * @param secret - Value of the secret to be masked
 * @remarks
 * This function instructs the Actions runner to mask the specified value in any
 * logs produced during the workflow run. Once registered, the secret value will
 * be replaced with asterisks (***) whenever it appears in console output, logs,
 * or error messages.
 *
 * This is useful for protecting sensitive information such as:
 * - API keys
 * - Access tokens
 * - Authentication credentials
 * - URL parameters containing signatures (SAS tokens)
 *
 * Note that masking only affects future logs; any previous appearances of the
 * secret in logs before calling this function will remain unmasked.
 *
 * @example
 * ```typescript
 * // Register an API token as a secret
 * const apiToken = "abc123xyz456";
 * setSecret(apiToken);
 *
 * // Now any logs containing this value will show *** instead
 * console.log(`Using token: ${apiToken}`); // Outputs: "Using token: ***"
 * ```
 */
function setSecret(secret) {
    issueCommand('add-mask', {}, secret);
}
/**
 * Prepends inputPath to the PATH (for this action and future actions)
 * @param inputPath
 */
function addPath(inputPath) {
    const filePath = process.env['GITHUB_PATH'] || '';
    if (filePath) {
        issueFileCommand('PATH', inputPath);
    }
    else {
        issueCommand('add-path', {}, inputPath);
    }
    process.env['PATH'] = `${inputPath}${path__namespace.delimiter}${process.env['PATH']}`;
}
/**
 * Gets the value of an input.
 * Unless trimWhitespace is set to false in InputOptions, the value is also trimmed.
 * Returns an empty string if the value is not defined.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string
 */
function getInput(name, options) {
    const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    return val.trim();
}
/**
 * Gets the input value of the boolean type in the YAML 1.2 "core schema" specification.
 * Support boolean input list: `true | True | TRUE | false | False | FALSE` .
 * The return value is also in boolean type.
 * ref: https://yaml.org/spec/1.2/spec.html#id2804923
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   boolean
 */
function getBooleanInput(name, options) {
    const trueValue = ['true', 'True', 'TRUE'];
    const falseValue = ['false', 'False', 'FALSE'];
    const val = getInput(name);
    if (trueValue.includes(val))
        return true;
    if (falseValue.includes(val))
        return false;
    throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}\n` +
        `Support boolean input list: \`true | True | TRUE | false | False | FALSE\``);
}
/**
 * Sets the value of an output.
 *
 * @param     name     name of the output to set
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function setOutput(name, value) {
    const filePath = process.env['GITHUB_OUTPUT'] || '';
    if (filePath) {
        return issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
    }
    process.stdout.write(os__namespace.EOL);
    issueCommand('set-output', { name }, toCommandValue(value));
}
//-----------------------------------------------------------------------
// Results
//-----------------------------------------------------------------------
/**
 * Sets the action status to failed.
 * When the action exits it will be with an exit code of 1
 * @param message add error issue message
 */
function setFailed(message) {
    process.exitCode = ExitCode.Failure;
    error(message);
}
/**
 * Writes debug message to user log
 * @param message debug message
 */
function debug(message) {
    issueCommand('debug', {}, message);
}
/**
 * Adds an error issue
 * @param message error issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function error(message, properties = {}) {
    issueCommand('error', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a warning issue
 * @param message warning issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function warning(message, properties = {}) {
    issueCommand('warning', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a notice issue
 * @param message notice issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function notice(message, properties = {}) {
    issueCommand('notice', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Writes info to log with console.log.
 * @param message info message
 */
function info(message) {
    process.stdout.write(message + os__namespace.EOL);
}
/**
 * Begin an output group.
 *
 * Output until the next `groupEnd` will be foldable in this group
 *
 * @param name The name of the output group
 */
function startGroup(name) {
    issue('group', name);
}
/**
 * End an output group.
 */
function endGroup() {
    issue('endgroup');
}
/**
 * Wrap an asynchronous function call in a group.
 *
 * Returns the same type as the function itself.
 *
 * @param name The name of the group
 * @param fn The function to wrap in the group
 */
function group(name, fn) {
    return __awaiter(this, void 0, void 0, function* () {
        startGroup(name);
        let result;
        try {
            result = yield fn();
        }
        finally {
            endGroup();
        }
        return result;
    });
}
//-----------------------------------------------------------------------
// Wrapper action state
//-----------------------------------------------------------------------
/**
 * Saves state for current action, the state can only be retrieved by this action's post job execution.
 *
 * @param     name     name of the state to store
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function saveState$1(name, value) {
    const filePath = process.env['GITHUB_STATE'] || '';
    if (filePath) {
        return issueFileCommand('STATE', prepareKeyValueMessage(name, value));
    }
    issueCommand('save-state', { name }, toCommandValue(value));
}

/**
 * The environment of the programs the action runs itself (the CLI's
 * `--version` and `ssh-cert:load`, `php -r`).
 *
 * The rule is an allow-list, not a deny-list. The job's environment holds
 * secrets whose names nobody can list in advance: the runner's
 * (`ACTIONS_RUNTIME_TOKEN`, `ACTIONS_ID_TOKEN_REQUEST_TOKEN`/`_URL`, cache and
 * results URLs), this step's raw inputs (`INPUT_TOKEN`, `INPUT_GITHUB-TOKEN`),
 * and whatever the workflow put in `env:` (cloud keys, other tools' tokens).
 * A deny-list only covers the names known today. These runs are short and
 * known, so what they need is known too: the variables below, and (for the
 * CLI) its own prefixed variables, added by `cliEnv` in clis.ts.
 */
/** Passed through by exact name (compared upper-cased: Windows names are case-insensitive). */
const NAMES = new Set([
    // Finding programs and files, who runs them
    'PATH',
    'HOME',
    'USER',
    'LOGNAME',
    'SHELL', // the CLI writes a shell-specific guard into its SSH config
    'TERM',
    'TZ',
    'CI', // the CLI skips update and migration prompts in CI
    'NO_COLOR',
    // Temporary files
    'TMPDIR',
    'TMP',
    'TEMP',
    // Where the CLI unpacks its PHP runtime and keeps its cache (Go's os.UserCacheDir)
    'XDG_CACHE_HOME',
    'XDG_CONFIG_HOME',
    'XDG_DATA_HOME',
    'XDG_RUNTIME_DIR',
    // Locale
    'LANG',
    'LANGUAGE',
    // Proxies (either case, see below) and TLS trust for a proxy that inspects TLS
    'HTTP_PROXY',
    'HTTPS_PROXY',
    'ALL_PROXY',
    'NO_PROXY',
    'SSL_CERT_FILE',
    'SSL_CERT_DIR',
    // ssh-cert:load may add the key to the job's agent when the workflow asks it to
    'SSH_AUTH_SOCK',
    // PHP's configuration (the Web PaaS CLI is a phar)
    'PHPRC',
    'PHP_INI_SCAN_DIR',
    // The Upsun binary reads its vendor configuration from here (Platform.sh builds)
    'CLI_CONFIG_FILE',
    // Windows: programs fail in odd ways without these
    'SYSTEMROOT',
    'SYSTEMDRIVE',
    'WINDIR',
    'COMSPEC',
    'PATHEXT',
    'USERPROFILE',
    'USERNAME',
    'USERDOMAIN',
    'HOMEDRIVE',
    'HOMEPATH',
    'APPDATA',
    'LOCALAPPDATA',
    'PROGRAMDATA',
    'PROGRAMFILES',
    'PROGRAMFILES(X86)',
    'PROGRAMW6432',
    'COMMONPROGRAMFILES',
    'COMPUTERNAME',
    'OS',
    'PROCESSOR_ARCHITECTURE',
    'NUMBER_OF_PROCESSORS'
]);
/** Passed through by prefix. */
const PREFIXES = ['LC_'];
/** True when a variable of the job may reach a child, whatever the child. */
function isPassedThrough(name) {
    const upper = name.toUpperCase();
    return NAMES.has(upper) || PREFIXES.some((prefix) => upper.startsWith(prefix));
}
/**
 * The job's variables that any child of the action may see, plus those for
 * which `alsoPass` answers true (a CLI's own prefix).
 */
function childEnv(alsoPass = () => false) {
    const env = {};
    for (const [name, value] of Object.entries(process.env)) {
        if (value !== undefined && (isPassedThrough(name) || alsoPass(name)))
            env[name] = value;
    }
    return env;
}
/**
 * Removes from this process what nothing reads once the inputs are read: the
 * raw token inputs and the runner's service credentials and endpoints
 * (`ACTIONS_RUNTIME_TOKEN`, `ACTIONS_ID_TOKEN_REQUEST_TOKEN`, …; the action
 * uses no OIDC, cache or artifact service). Then no child inherits them, even
 * one started by a library with the whole environment.
 */
function forgetJobSecrets() {
    for (const name of Object.keys(process.env)) {
        if (/^(INPUT_TOKEN|INPUT_GITHUB-TOKEN|ACTIONS_.*)$/i.test(name))
            delete process.env[name];
    }
}

const CLIS = {
    upsun: {
        name: 'upsun',
        title: 'Upsun CLI',
        binary: 'upsun',
        envPrefix: 'UPSUN_CLI_',
        oauthClientId: 'upsun-cli',
        userDir: '.upsun-cli',
        defaultAuthUrl: 'https://auth.upsun.com',
        defaultApiUrl: 'https://api.upsun.com',
        channel: { kind: 'github-releases' }
    },
    platform: {
        name: 'platform',
        title: 'Platform.sh CLI',
        binary: 'platform',
        envPrefix: 'PLATFORMSH_CLI_',
        oauthClientId: 'platform-cli',
        userDir: '.platformsh',
        // The platform binary moved to the Upsun hosts in 5.5.0.
        defaultAuthUrl: 'https://auth.upsun.com',
        defaultApiUrl: 'https://api.upsun.com',
        channel: { kind: 'github-releases' }
    },
    webpaas: {
        name: 'webpaas',
        title: 'OVHcloud Web PaaS CLI',
        binary: 'webpaas',
        envPrefix: 'OVHCLOUD_WEBPAAS_CLI_',
        oauthClientId: 'ovh-eu-cli',
        userDir: '.webpaas-cli',
        defaultAuthUrl: 'https://eu.auth.webpaas.ovhcloud.com',
        defaultApiUrl: 'https://eu.api.webpaas.ovhcloud.com',
        channel: { kind: 'phar-manifest', defaultUrl: 'https://eu.cli.webpaas.ovhcloud.com' },
        sshCaveat: 'The Web PaaS CLI bundles no host keys for its git and SSH hosts: add them to ~/.ssh/known_hosts in an earlier step (from a trusted source, not ssh-keyscan at run time).'
    }
};
const CLI_NAMES = Object.keys(CLIS);
/** The full name of one of the CLI's variables, e.g. `UPSUN_CLI_TOKEN`. */
function cliVar(cli, name) {
    return `${cli.envPrefix}${name}`;
}
/**
 * Variables that make the CLI safe in CI: never prompt, never look for
 * updates, never download credential helpers or touch a keychain.
 */
function ciSettings(cli) {
    return {
        [cliVar(cli, 'NO_INTERACTION')]: '1',
        [cliVar(cli, 'UPDATES_CHECK')]: '0',
        [cliVar(cli, 'API_DISABLE_CREDENTIAL_HELPERS')]: '1'
    };
}
/**
 * Every endpoint the CLI sends credentials to, pinned to the ones the action
 * checked. The CLI derives the OAuth and certifier URLs from `api.auth_url`
 * only where its config leaves them unset, so a config file that sets
 * `api.oauth2_token_url` would beat `{P}API_AUTH_URL` alone. The explicit
 * names are used: the CLI reads `{P}API_<KEY>` only for keys its config
 * already holds.
 */
function endpointVariables(cli, authUrl, apiUrl) {
    // authUrl comes without a trailing slash (inputs.ts), as the CLI derives these.
    return {
        [cliVar(cli, 'API_AUTH_URL')]: authUrl,
        [cliVar(cli, 'API_BASE_URL')]: apiUrl,
        [cliVar(cli, 'OAUTH2_TOKEN_URL')]: `${authUrl}/oauth2/token`,
        [cliVar(cli, 'OAUTH2_AUTH_URL')]: `${authUrl}/oauth2/authorize`,
        [cliVar(cli, 'OAUTH2_REVOKE_URL')]: `${authUrl}/oauth2/revoke`,
        [cliVar(cli, 'CERTIFIER_URL')]: authUrl
    };
}
/**
 * Whether the CLI is the Go build, which unpacks PHP and the phar into
 * `{P}TMP` (else its user cache) and runs them from there. The Web PaaS CLI
 * is a phar run by the runner's own php: it unpacks nothing.
 */
function unpacksRuntime(cli) {
    return cli.channel.kind === 'github-releases';
}
/**
 * The CLI's service prefix: it reads the default project, environment and app
 * from `PLATFORM_PROJECT`, `PLATFORM_BRANCH`, … for all three CLIs.
 */
const SERVICE_ENV_PREFIX = 'PLATFORM_';
/**
 * The environment for CLI runs made by the action itself: the allow-listed
 * job variables (childEnv.ts says why an allow-list), the CLI's own `{P}*` and
 * `PLATFORM_*` variables, CI-safe settings, never the CLI's debug switch (it
 * prints tokens), and the token only when the run needs it (`token` given):
 * a `{P}TOKEN` of the job is never passed on otherwise.
 */
function cliEnv(cli, options = {}) {
    const dropped = new Set([cliVar(cli, 'DEBUG'), cliVar(cli, 'TOKEN')]);
    const env = childEnv((name) => (name.startsWith(cli.envPrefix) || name.startsWith(SERVICE_ENV_PREFIX)) && !dropped.has(name));
    Object.assign(env, ciSettings(cli));
    if (options.token)
        env[cliVar(cli, 'TOKEN')] = options.token;
    return env;
}

/** An error whose message is already written for the workflow's author. */
class ActionError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'ActionError';
    }
}
/** A bad input: names the input, never echoes a secret value. */
class InputError extends ActionError {
    constructor(message) {
        super(message);
        this.name = 'InputError';
    }
}
/** The message of anything thrown, including non-Error values. */
function errorMessage(error) {
    if (error instanceof Error)
        return error.message;
    return String(error);
}
/** Anything thrown, as an Error (so that it can be thrown again or given a cause). */
function asError(value) {
    return value instanceof Error ? value : new Error(String(value));
}

/*
 * Built-ins loaded on first use rather than at start-up (or before a
 * download's first request). process.getBuiltinModule is synchronous, so
 * callers stay as they were.
 */
/**
 * node:crypto. @actions/core now loads it at start-up (a random delimiter for
 * each file command), so this saves a cache hit nothing any more.
 */
function lazyCrypto() {
    return process.getBuiltinModule('node:crypto');
}
/** node:zlib: wanted only once an archive's answer is here. */
function lazyZlib() {
    return process.getBuiltinModule('node:zlib');
}

// fs.promises, not node:fs/promises: loaded on first use, never on a cache hit
// without a token (see toolcache.ts).
/*
 * The CLI keeps its sessions under its user directory (`~/.upsun-cli`):
 * `.session/sess-cli-<id>/` holds the SSH key, certificate and their config,
 * and a token stored by `auth:api-token-login` (which, inside that session,
 * beats the token in the environment); `.session/sess-api-token-<hash>/`
 * holds the access tokens of one API token. `ssh/`, `cache/`, `locks/` and a
 * block in `~/.ssh/config` are shared by all sessions.
 *
 * Every job gets a session of its own ({P}SESSION_ID, exported for later
 * steps), so that nothing a previous job left on a persistent runner (a
 * session kept with `cleanup: false`, a job killed before its post step, a
 * person's `auth:api-token-login`) is used, and post can remove exactly what
 * this job caused, even with other jobs running on the same machine.
 */
/**
 * The CLI's home, found as the CLI finds it (its Config::getHomeDirectory, and
 * the Go wrapper's HomeDir): `{P}HOME`, then `HOME`, then `USERPROFILE`, the
 * first one set and not empty; the OS's home only when none is. Not
 * os.homedir(): on Windows that is USERPROFILE even where a workflow (or
 * MSYS2, Cygwin) sets HOME, and post would clean a directory the CLI never
 * used. Windows reads variable names case-insensitively.
 */
function cliHome(prefix, platform, env, osHome) {
    const read = (name) => {
        if (platform !== 'win32')
            return env[name];
        const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
        return key === undefined ? undefined : env[key];
    };
    for (const name of [`${prefix}HOME`, 'HOME', 'USERPROFILE']) {
        const value = read(name);
        if (value)
            return value;
    }
    return osHome();
}
/** The CLI's home and the home OpenSSH uses, from this process's environment. */
function homes(cli) {
    const found = cliHome(cli.envPrefix, process.platform, process.env, os__namespace$1.homedir);
    let home = found;
    try {
        // The PHP CLI resolves its home (realpath): its files name the resolved path.
        home = node_fs.realpathSync(found);
    }
    catch {
        // not there (yet): the CLI would refuse it; keep the name for the messages
    }
    let sshHome = home;
    try {
        sshHome = os__namespace$1.userInfo().homedir || home;
    }
    catch {
        // no passwd entry (arbitrary uid in a container): ssh falls back to HOME
    }
    return { home, sshHome };
}
/** The CLI's rule for session ids (its Config.php): lowercase, digits, `_`, `-`. */
const SESSION_ID = /^[a-z0-9_-]+$/;
/** Names the CLI reserves for the sessions of API tokens. */
const RESERVED_PREFIX = 'api-token-';
/**
 * A session id unique to this job: the run, its attempt (so a re-run does
 * not find the first attempt's session), and a random part (so matrix legs
 * and several jobs of one run do not share one).
 */
function newSessionId(env = process.env) {
    const part = (value, fallback) => (value ?? '').toLowerCase().replace(/[^a-z0-9]/g, '') || fallback;
    const run = part(env.GITHUB_RUN_ID, 'local');
    const attempt = part(env.GITHUB_RUN_ATTEMPT, '1');
    return `gha-${run}-${attempt}-${lazyCrypto().randomBytes(4).toString('hex')}`;
}
/** Where a session's files live. */
function sessionDir(userDir, sessionId) {
    return path__namespace$1.join(userDir, '.session', `sess-cli-${sessionId}`);
}
/** The directory of an API token's access tokens (the CLI's Api::getClient naming). */
function tokenSessionName(token) {
    return `sess-api-token-${lazyCrypto().createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
}
/** Files under `ssh/` shared by every session: they are restored, not removed whole. */
const SHARED_SSH = ['session.config', 'host-keys', 'host-keys.config'];
/**
 * Decides the job's session and notes what post needs to undo it. A session
 * id set by the workflow is used as it is (later steps see the workflow's
 * value whatever the action exports), after checking it; any other job gets a
 * fresh one.
 */
async function openCliSession(cli, userDir, token, env = process.env) {
    const name = cliVar(cli, 'SESSION_ID');
    const given = env[name];
    const sessionId = given || newSessionId(env);
    if (given)
        checkGivenSession(name, given);
    const dir = sessionDir(userDir, sessionId);
    if (given)
        await refuseStoredToken(name, given, dir);
    const shared = {};
    for (const file of SHARED_SSH) {
        const text = await readText(path__namespace$1.join(userDir, 'ssh', file));
        // Only session.config is put back by content; the others only by existence.
        shared[file] = text === undefined ? null : file === 'session.config' ? text : '';
    }
    return {
        userDir,
        userDirExisted: await isDir(userDir),
        sessionId,
        chosenByWorkflow: Boolean(given),
        sessionBefore: given ? await filesUnder(dir) : [],
        tokenSession: tokenSessionName(token),
        sharedSsh: shared
    };
}
function checkGivenSession(name, value) {
    if (!SESSION_ID.test(value) || value.startsWith(RESERVED_PREFIX)) {
        throw new InputError(`${name} is set to ${JSON.stringify(value.slice(0, 80))}, which the CLI does not accept as a session id: ` +
            `use only lowercase letters, digits, "_" and "-", not starting with "${RESERVED_PREFIX}". ` +
            `Or remove ${name} from the workflow: the action then gives the job a session of its own.`);
    }
}
/**
 * Inside one session a stored token beats the `token` input: the outputs
 * would name one user while later steps act as another. Refused.
 */
async function refuseStoredToken(name, value, dir) {
    const stored = path__namespace$1.join(dir, 'api-token');
    if ((await readText(stored)) === undefined)
        return;
    throw new InputError(`${name}=${value} names a CLI session that holds a stored API token (${stored}, from auth:api-token-login). ` +
        'Inside that session the stored token beats the `token` input, so later steps would act as another user. ' +
        `Remove ${name} from the workflow so that the job gets a session of its own, or delete that file.`);
}
/** Files under dir, relative and `/`-separated ([] when it does not exist). */
async function filesUnder(dir) {
    try {
        const entries = await node_fs.promises.readdir(dir, { recursive: true, withFileTypes: true });
        return entries
            .filter((e) => !e.isDirectory())
            .map((e) => path__namespace$1.relative(dir, path__namespace$1.join(e.parentPath, e.name)).split(path__namespace$1.sep).join('/'));
    }
    catch {
        return [];
    }
}
async function readText(file) {
    try {
        return await node_fs.promises.readFile(file, 'utf8');
    }
    catch {
        return undefined;
    }
}
async function isDir(p) {
    try {
        return (await node_fs.promises.stat(p)).isDirectory();
    }
    catch {
        return false;
    }
}

/*
 * The Go build of the CLI unpacks PHP, the phar and its config into
 * `~/.cache/<slug>-tmp/legacy-<version>/` and runs them with the token in
 * their environment. Before reusing them it compares only each file's size
 * and last 32 KiB, so on a persistent runner an earlier job can swap in a
 * `php` of its own. Each job therefore gets a directory of its own, made
 * fresh under RUNNER_TEMP with mode 0700 (mkdtemp), named in `{P}TMP` for
 * the action's CLI runs and later steps, and removed by post.
 */
const PREFIX = 'setup-upsun-cli-tmp-';
/** Where the job's directory goes: the runner's per-job temp, else the OS's. */
function parentDir(env) {
    return path__namespace$1.resolve(env.RUNNER_TEMP || os__namespace$1.tmpdir());
}
/**
 * Makes the job's unpack directory and names it in `{P}TMP` for this
 * process's CLI runs (their environment passes the CLI's own variables on).
 * Undefined for a CLI that unpacks nothing.
 */
function openCliTmp(cli, env = process.env) {
    if (!unpacksRuntime(cli))
        return undefined;
    const variable = cliVar(cli, 'TMP');
    const workflowValue = env[variable] || undefined;
    const dir = node_fs.mkdtempSync(path__namespace$1.join(parentDir(env), PREFIX));
    env[variable] = dir;
    return { dir, variable, workflowValue };
}

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

/**
 * Text that comes from outside the action (inputs, URLs, what a server
 * answers, the CLI's own output) is printed through this module, so that no
 * line of it can become a workflow command.
 *
 * What the runner treats as a command (actions/runner, ActionCommand.cs):
 *   - a line that starts with `::name …::` once leading whitespace is trimmed;
 *   - a line that holds `##[name …]` anywhere (the old syntax, still read);
 * and it splits the output into lines at `\n`, `\r` and `\r\n`.
 * A value printed inside one of our own lines therefore needs no line break
 * and no `##[`; text printed as whole lines of its own (the CLI's output) goes
 * between `::stop-commands::<token>` and `::<token>::`, with a token drawn
 * after the text is known, so the text cannot hold it.
 */
// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// Those, plus Unicode format characters (category Cf: zero-width spaces and
// joiners, bidirectional embeddings, overrides and isolates, the BOM, tag
// characters): invisible, they can make a line read as something it is not.
// One character class, so removing them is linear in the text's length.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/gu;
// ANSI escape sequences (colours, cursor moves): removed whole, not left as `[32m`.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
/** The first control character in `text`, or undefined. */
function firstControlCharacter(text) {
    const match = CONTROL.exec(text);
    if (!match)
        return undefined;
    return { index: match.index, name: controlName(match[0]) };
}
function controlName(char) {
    const names = {
        '\n': 'a line break (\\n)',
        '\r': 'a carriage return (\\r)',
        '\t': 'a tab',
        '\u0000': 'a NUL'
    };
    const code = char.codePointAt(0) ?? 0;
    return names[char] ?? `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
/**
 * One line of outside text, safe to print inside a line of ours: ANSI
 * sequences, control and format characters removed (a tab becomes a space),
 * and the old command opener `##[` broken visibly as `## [` (after the
 * removals, so that `##\u200b[` cannot rejoin into one). Linear time.
 */
function printable(text) {
    return text
        .replace(ANSI, '')
        .replace(/\t/g, ' ')
        .replace(UNPRINTABLE, '')
        .replace(/##\[/g, '## [');
}
/**
 * Prints outside text line by line (the CLI's output) with the runner's
 * command processing stopped around it, each line also made printable.
 * Returns the lines as printed, for error messages.
 */
function echoUntrusted(text, indent = '  ') {
    const lines = text
        .split(/\r\n|\r|\n|\u2028|\u2029/)
        .map(printable)
        .filter((line) => line.trim() !== '');
    if (lines.length === 0)
        return lines;
    // Drawn after the text was read: nothing in it can name the resume token.
    const token = lazyCrypto().randomBytes(16).toString('hex');
    info(`::stop-commands::${token}`);
    for (const line of lines)
        info(`${indent}${line}`);
    info(`::${token}::`);
    return lines;
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
        const data = JSON.parse(node_fs.readFileSync(file, 'utf8'));
        return data && typeof data === 'object' ? data : undefined;
    }
    catch {
        return undefined;
    }
}

/*
 * The CLI merges `<user dir>/config.yaml` over its whole configuration
 * (legacy Config::applyUserConfigOverrides, in every CLI run): where it
 * exchanges the token and has certificates signed (`api.*`), where it keeps
 * sessions (`application.writable_user_dir`), the prefix of the variables it
 * reads (`application.env_prefix`, so no variable of ours could outvote the
 * file), SSH options. On a persistent runner an earlier job can leave one.
 * Refused rather than neutralised: variables cannot outvote a file that can
 * rename them, and a file nobody in this workflow wrote is worth a look.
 */
/** Above this the file is refused unread (a user's settings are a few lines). */
const MAX_BYTES = 64 * 1024;
/** How many of its keys the error names. */
const MAX_KEYS = 12;
/** The file the CLI reads its user settings from. */
function userConfigFile(userDir) {
    return path__namespace$1.join(userDir, 'config.yaml');
}
/**
 * Throws, naming the file and its keys, when the CLI's user config sets
 * anything; returns when there is none, or it is empty (the CLI then ignores
 * it too).
 */
async function refuseUserConfig(cli, userDir) {
    const file = userConfigFile(userDir);
    let text;
    try {
        text = node_fs.readFileSync(file, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return;
        throw refusal(cli, file, `cannot be read (${errorMessage(error)})`);
    }
    if (text.length > MAX_BYTES)
        throw refusal(cli, file, `holds ${text.length} characters`);
    // Only on this rare path: YAML's parser is not loaded by a job without the file.
    const { parse } = await Promise.resolve().then(() => require('./browser.cjs'));
    let value;
    try {
        value = parse(text);
    }
    catch {
        throw refusal(cli, file, 'is not valid YAML (the CLI would stop on it)');
    }
    if (value === null || value === undefined)
        return;
    if (typeof value === 'object' && Object.keys(value).length === 0)
        return;
    throw refusal(cli, file, `sets ${keysOf(value)}`);
}
/** `api.auth_url, application.env_prefix, …`: keys two levels deep, printable. */
function keysOf(value) {
    if (typeof value !== 'object' || value === null)
        return `a ${typeof value} at the top level`;
    const keys = [];
    for (const [key, sub] of Object.entries(value)) {
        const inner = sub && typeof sub === 'object' && !Array.isArray(sub) ? Object.keys(sub) : [];
        if (inner.length > 0)
            for (const k of inner)
                keys.push(`${key}.${k}`);
        else
            keys.push(key);
    }
    const shown = keys.slice(0, MAX_KEYS).map((k) => printable(k).slice(0, 60));
    return shown.join(', ') + (keys.length > MAX_KEYS ? ` and ${keys.length - MAX_KEYS} more` : '');
}
function refusal(cli, file, what) {
    return new ActionError(`${printable(file)} ${what}. ${cli.title} takes any setting from this file in every run, ` +
        'including where it sends the token (api.*), where it keeps sessions and which variables it reads; ' +
        'on a self-hosted runner an earlier job may have left it. Delete it, and find out how it got there. ' +
        `Settings a job needs belong in the workflow: the auth-url and api-url inputs, or ${cli.envPrefix}* variables.`);
}

/**
 * Checks the token online the way the CLI uses it: exchange it for an
 * access token, then ask who it belongs to.
 */
async function verifyToken(options, network = {}) {
    const { HttpError, explainFailure } = await Promise.resolve().then(() => require('./failures.cjs'));
    const { RedirectRefused, send } = await Promise.resolve().then(() => require('./http.cjs'));
    const { withRetry } = await Promise.resolve().then(() => require('./retry.cjs'));
    const tokenUrl = `${options.authUrl}/oauth2/token`;
    const authHost = new URL(options.authUrl).host;
    debug(`Token exchange: POST ${tokenUrl}`);
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
    debug(`The token's user: GET ${meUrl}`);
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

/** The longest wait a job can use: GitHub stops a job after 6 hours anyway. */
const MAX_TIMEOUT_MS = 6 * 3600_000;
const UNITS = { '': 1000, s: 1000, m: 60_000, h: 3600_000 };
/**
 * Checks the deploy inputs against the rest (`project`, `environment`,
 * `verify-token`) and finds the commit to wait for.
 */
function parseDeployInputs(raw, context) {
    const timeoutMs = parseTimeout(raw.timeout);
    if (!raw.wait) {
        if (raw.githubDeployment)
            throw new InputError('Input `github-deployment: true` needs `wait-for-deployment: true`.');
        return { wait: false, commit: '', commitFrom: '', timeoutMs, githubDeployment: false };
    }
    if (!context.project || !context.environment)
        throw new InputError('`wait-for-deployment: true` needs `project` and `environment`: the environment whose deploy to wait for.');
    if (!context.verifyToken)
        throw new InputError('`wait-for-deployment: true` reads the platform API with the token: it cannot be combined with `verify-token: false`.');
    if (raw.githubDeployment && !context.githubToken)
        throw new InputError('`github-deployment: true` needs a GitHub token, and `github-token` is empty (its default is empty on GitHub Enterprise). ' +
            'Pass `github-token: ${{ github.token }}` and give the job `permissions: deployments: write`.');
    const { commit, from } = raw.commit
        ? { commit: raw.commit, from: 'deployment-commit' }
        : workflowCommit();
    if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/i.test(commit))
        throw new InputError(`Input \`deployment-commit\` must be a full commit id (40 hex digits); got ${JSON.stringify(commit.slice(0, 80))}. ` +
            'The platform records full ids: pass `${{ github.sha }}` or the output of `git rev-parse HEAD`.');
    return {
        wait: true,
        commit: commit.toLowerCase(),
        commitFrom: from,
        timeoutMs,
        githubDeployment: raw.githubDeployment
    };
}
/** `600`, `600s`, `10m`, `1h`: at least 10 s, at most 6 h. */
function parseTimeout(raw) {
    const match = /^(\d{1,6})\s*([smh]?)$/.exec(raw.trim() || '20m');
    const ms = match ? Number(match[1]) * UNITS[match[2]] : NaN;
    if (!(ms >= 10_000 && ms <= MAX_TIMEOUT_MS))
        throw new InputError(`Input \`wait-timeout\` must be a duration from 10s to 6h, such as 600, 15m or 1h; got ${JSON.stringify(raw.trim().slice(0, 40))}.`);
    return ms;
}
/**
 * The workflow's commit: a pull request's head (GITHUB_SHA is then a merge
 * commit the platform never sees), otherwise GITHUB_SHA.
 */
function workflowCommit() {
    const event = process.env.GITHUB_EVENT_NAME ?? '';
    if (event.startsWith('pull_request') && process.env.GITHUB_EVENT_PATH) {
        let head;
        try {
            const payload = JSON.parse(node_fs.readFileSync(process.env.GITHUB_EVENT_PATH, 'utf8'));
            head = payload.pull_request?.head?.sha;
        }
        catch {
            // An unreadable event file: the error below says what to pass.
        }
        if (typeof head === 'string' && head)
            return { commit: head, from: `the pull request's head` };
        throw new InputError(`The ${event} event file holds no pull request head commit: pass \`deployment-commit\`.`);
    }
    const sha = process.env.GITHUB_SHA ?? '';
    if (!sha)
        throw new InputError('GITHUB_SHA is not set: pass `deployment-commit`.');
    return { commit: sha, from: 'GITHUB_SHA' };
}

/** Idle timeout: how long a connection may stay silent (connect, headers, between body bytes). */
const TIMEOUT_MS = positive(process.env.SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS, 30_000);
/**
 * Overall deadline of one request, headers and whole body: a server that
 * sends one byte a second never trips the idle timeout, but trips this.
 * Downloads get more time in proportion to their size (http.ts).
 */
const DEADLINE_MS = positive(process.env.SETUP_UPSUN_CLI_HTTP_DEADLINE_MS, 2 * TIMEOUT_MS);
const RETRY_BASE_MS = positive(process.env.SETUP_UPSUN_CLI_RETRY_BASE_MS, 1_000);
function positive(raw, fallback) {
    const n = Number(raw);
    return Number.isFinite(n) && n > 0 ? n : fallback;
}
/**
 * True for an IP literal in 127.0.0.0/8 (also IPv4-mapped), ::1, and the
 * exact name `localhost`: where plain http is acceptable and no proxy is
 * used. Any other name, `localhost.` included, is resolved through DNS,
 * which may answer with any address.
 */
function isLoopbackHost(hostname) {
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host))
        return true;
    // ::ffff:127.x.y.z, which the URL parser writes as ::ffff:7fxx:yyzz.
    return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
}
/**
 * Why the action refuses to fetch this URL (a sentence for an error
 * message), or undefined when it may: https anywhere, plain http only to a
 * loopback address (plain http elsewhere can be read and changed on the way,
 * and a checksums.txt served by the same server would then prove nothing).
 * Input parsing and every request, redirect hops included, apply it.
 */
function urlRefusal(url) {
    // Credentials go only in headers we set, where the redirect rule sees them.
    if (url.username || url.password)
        return 'A URL that holds a user name or password is not fetched: the action sends credentials only in headers of its own.';
    if (url.protocol === 'https:')
        return undefined;
    if (url.protocol === 'http:') {
        if (isLoopbackHost(url.hostname))
            return undefined;
        return ('Plain http is accepted only for a loopback address such as http://127.0.0.1: an answer over ' +
            'plain http can be read and changed on the way, and a checksum served the same way would prove nothing.');
    }
    return `Only https (or http to a loopback address) is fetched, not ${url.protocol.replace(/:$/, '')}.`;
}

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
// exact version needs no semver library on a cache hit's path.
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
/**
 * A boolean input, read by core (YAML 1.2 core schema, as the runner); empty
 * means the default. Core's own error names neither the value nor the fix.
 */
function booleanInput(name, fallback) {
    const value = getInput(name);
    if (value === '')
        return fallback;
    try {
        return getBooleanInput(name);
    }
    catch {
        throw new InputError(`Input \`${name}\` must be true or false; got ${quote(value)}.`);
    }
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
    const environment = parseEnvironment(plainInput('environment'), project, cli.binary);
    const verifyToken = booleanInput('verify-token', true);
    const githubToken = getInput('github-token');
    return Object.freeze({
        cli,
        version: parseVersion(plainInput('version')),
        releasesUrl: parseReleasesUrl(plainInput('releases-url')),
        githubToken,
        token: getInput('token'),
        verifyToken,
        authUrl: parseSecureUrl('auth-url', plainInput('auth-url'), cli.defaultAuthUrl),
        apiUrl: parseSecureUrl('api-url', plainInput('api-url'), cli.defaultApiUrl),
        sshCert: booleanInput('ssh-cert', false),
        cleanup: booleanInput('cleanup', true),
        project,
        environment,
        deploy: parseDeployInputs({
            wait: booleanInput('wait-for-deployment', false),
            commit: plainInput('deployment-commit'),
            timeout: plainInput('wait-timeout'),
            githubDeployment: booleanInput('github-deployment', false)
        }, { project, environment, verifyToken, githubToken })
    });
}
/** What was read, for a debug line: never the tokens (checked: no control characters, no credentials in URLs). */
function describeInputs(inputs) {
    return (`Inputs: cli ${inputs.cli.binary}, version ${JSON.stringify(inputs.version)}, releases-url ${inputs.releasesUrl || '(default)'}, ` +
        `auth-url ${inputs.authUrl}, api-url ${inputs.apiUrl}, project ${inputs.project || '(none)'}, ` +
        `environment ${inputs.environment || '(none)'}, token ${inputs.token ? 'given' : 'not given'}.`);
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

/** Where releases of 5.10.0 and later are published (tags `vX.Y.Z`). */
const UPSUN_RELEASES = 'https://github.com/upsun/cli/releases';
/** Where releases of 5.9.0 and earlier are published (tags `X.Y.Z`). */
const PLATFORMSH_RELEASES = 'https://github.com/platformsh/cli/releases';
/** Is `version` (X.Y.Z[-pre]) 5.10.0 or later, prereleases of 5.10.0 included? */
function fromUpsunRepo(version) {
    const [major, minor] = version.split('.').map((n) => parseInt(n, 10));
    return major > 5 || (major === 5 && minor >= 10);
}
/** The release of `version` (tag `tag`) on the releases page `releasesUrl`. */
function gitHubRelease(version, tag, releasesUrl) {
    return { version, tag, releasesUrl, where: `${releasesUrl} (tag ${tag})` };
}
/** The git tag of a version: `v5.11.1` from 5.10.0 on, bare before. */
function tagFor(version) {
    return fromUpsunRepo(version) ? `v${version}` : version;
}
/** The default release channel for a version (undefined: the newest). */
function defaultReleasesUrl(version) {
    return version === undefined || fromUpsunRepo(version) ? UPSUN_RELEASES : PLATFORMSH_RELEASES;
}
/** `{releases-url}/download/{tag}/{file}` */
function downloadUrl(release, file) {
    return `${release.releasesUrl}/download/${encodeURIComponent(release.tag)}/${encodeURIComponent(file)}`;
}
/** An exact version needs no network: tag and channel follow from it. */
function exactRelease(version, releasesUrl) {
    return gitHubRelease(version, tagFor(version), releasesUrl || defaultReleasesUrl(version));
}

// fs.promises, not node:fs/promises: loaded on first use, never on a cache hit
// without a token (see toolcache.ts).
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
            const { resolveRelease } = await Promise.resolve().then(() => require('./lookup.cjs'));
            return resolveRelease(spec, {
                releasesUrl: inputs.releasesUrl,
                githubToken: inputs.githubToken,
                serverUrl: process.env.GITHUB_SERVER_URL,
                apiUrl: process.env.GITHUB_API_URL
            }, network);
        },
        async fetch(release, target, staging) {
            const asset = assetName(inputs.cli.binary, release.version, target);
            const { downloadVerified } = await Promise.resolve().then(() => require('./download.cjs')).then(n => n.download);
            const download = await downloadVerified(release, asset, target, staging, network);
            const binary = `${inputs.cli.binary}${target.exeSuffix}`;
            const binarySha256 = download.files.get(binary);
            if (!binarySha256) {
                await node_fs.promises.rm(download.dir, { recursive: true, force: true });
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

// The verified record kept in each tool-cache entry, and its re-check on a
// hit: policy no library offers (tool-cache trusts any directory with a
// `.complete` marker). Reads on a hit are synchronous, so that a hit never
// loads node:fs/promises (it brings readline and fs watchers with it).
const RECORD_FILE = '.setup-upsun-cli.json';
/** A file name with no directory part, `.` or `..` (Windows separators included). */
const PLAIN_NAME = /^(?!\.\.?$)[A-Za-z0-9._+-]+$/;
const SHA256 = /^[0-9a-f]{64}$/;
const isPlainRelative = (rel) => rel.split('/').every((part) => PLAIN_NAME.test(part));
/** The entry, or why its record cannot be trusted to describe it. */
function readEntry(dir) {
    let record;
    try {
        record = JSON.parse(node_fs.readFileSync(path__namespace$1.join(dir, RECORD_FILE), 'utf8'));
    }
    catch {
        return `its record ${RECORD_FILE} is missing or not JSON`;
    }
    const { binary, executable, binarySha256, files } = record;
    const quoted = (value) => printable(JSON.stringify(value) ?? 'nothing');
    if (typeof binary !== 'string' || !PLAIN_NAME.test(binary))
        return `its record names ${quoted(binary)} as the binary, which is not a plain file name inside the entry`;
    if (typeof executable !== 'string' || !PLAIN_NAME.test(executable))
        return `its record names ${quoted(executable)} as the executable, which is not a plain file name inside the entry`;
    if (typeof binarySha256 !== 'string' || !SHA256.test(binarySha256))
        return 'its record holds no SHA-256 for the binary';
    if (!files || typeof files !== 'object')
        return 'its record lists no files (written by an older version of this action)';
    for (const [rel, digest] of Object.entries(files)) {
        if (!isPlainRelative(rel) || rel === RECORD_FILE)
            return `its record lists ${quoted(rel)}, which is not a path inside the entry`;
        if (typeof digest !== 'string' || !SHA256.test(digest))
            return `its record holds no SHA-256 for ${rel}`;
    }
    if (files[binary] !== binarySha256 || !(executable in files))
        return 'its record does not list the binary and the executable among its files';
    return entryFor(dir, record);
}
function entryFor(dir, record) {
    return {
        dir,
        binaryPath: path__namespace$1.join(dir, record.binary),
        executablePath: path__namespace$1.join(dir, record.executable),
        record
    };
}
/**
 * Why the entry no longer matches its record, or undefined when it does.
 * The entry must hold exactly the recorded files (plain files, no links),
 * each unchanged. The cheap check for each: its inode, size, mtime and ctime
 * are as recorded (any write, rename or chmod moves ctime, which on Linux
 * and macOS no unprivileged process can set back); a file that fails it is
 * hashed again. On Windows a file's writer can set its change time, so there
 * the small files (the launcher among them) are hashed on every hit; the
 * binary keeps the stat check (hashing it on every hit is what this avoids).
 */
async function whyNotIntact(entry) {
    const { record, dir } = entry;
    let present;
    try {
        present = regularFiles(dir);
    }
    catch (error) {
        return error.message;
    }
    present.delete(RECORD_FILE);
    const expected = Object.keys(record.files);
    const list = (names) => names.slice(0, 5).map(printable).join(', ');
    const extra = [...present.keys()].filter((rel) => !(rel in record.files));
    if (extra.length)
        return `it holds files that were not installed: ${list(extra)}`;
    const missing = expected.filter((rel) => !present.has(rel));
    if (missing.length)
        return `files are missing: ${list(missing)}`;
    for (const rel of expected) {
        if (rel === record.binary)
            continue;
        if (!HASH_SMALL_FILES_ALWAYS && sameFingerprint(present.get(rel), record.fingerprints?.[rel]))
            continue;
        const file = path__namespace$1.join(dir, ...rel.split('/'));
        const size = present.get(rel)?.size ?? Infinity;
        if ((await (size <= SMALL_FILE ? sha256Small(file) : sha256File(file))) !== record.files[rel])
            return `${rel} no longer matches the digest recorded at install`;
    }
    if (sameFingerprint(present.get(record.binary), record.fingerprint))
        return undefined;
    info(`The cached binary's file metadata changed since install; checking its SHA-256 again.`);
    return (await sha256File(entry.binaryPath)) === record.binarySha256
        ? undefined
        : `${record.binary} no longer matches the digest verified when it was installed`;
}
/** Windows: a file's change time can be set by whoever may write the file. */
const HASH_SMALL_FILES_ALWAYS = process.platform === 'win32';
function sameFingerprint(now, then) {
    return (!!now && !!then && Object.entries(now).every(([k, v]) => then[k] === v));
}
/** Every plain file under dir, by relative path; a link or special file is an error. */
function regularFiles(dir) {
    const found = new Map();
    const walk = (rel) => {
        const at = path__namespace$1.join(dir, ...rel.split('/').filter(Boolean));
        for (const dirent of node_fs.readdirSync(at, { withFileTypes: true })) {
            const child = rel ? `${rel}/${dirent.name}` : dirent.name;
            if (dirent.isDirectory())
                walk(child);
            else if (dirent.isFile()) {
                const { size, mtimeMs, ctimeMs, ino } = node_fs.lstatSync(path__namespace$1.join(dir, ...child.split('/')));
                found.set(child, { size, mtimeMs, ctimeMs, ino });
            }
            else
                throw new Error(`${printable(child)} is a link or special file`);
        }
    };
    walk('');
    return found;
}
/** Up to this size a file is hashed from one read instead of a stream (cheaper on a hit). */
const SMALL_FILE = 1 << 20;
function sha256Small(file) {
    return lazyCrypto().createHash('sha256').update(node_fs.readFileSync(file)).digest('hex');
}
async function sha256File(file) {
    const hash = lazyCrypto().createHash('sha256');
    for await (const chunk of node_fs.createReadStream(file))
        hash.update(chunk);
    return hash.digest('hex');
}
/**
 * The full record of a verified staging directory: every file hashed (the
 * binary's digest is the one verified while it streamed in) and its stat.
 */
async function recordOf(staging, fetched) {
    // Listed once: reading a file to hash it moves none of its stats, and
    // nothing else writes our private staging directory.
    const present = regularFiles(staging);
    const fingerprint = present.get(fetched.binary);
    if (!fingerprint)
        throw new Error(`${fetched.binary} is missing from ${staging}; nothing was cached.`);
    const files = {};
    for (const rel of present.keys()) {
        files[rel] =
            rel === fetched.binary
                ? fetched.binarySha256
                : await sha256File(path__namespace$1.join(staging, ...rel.split('/')));
    }
    return { ...fetched, fingerprint, files, fingerprints: Object.fromEntries(present) };
}

// Staging directories beside the tool cache's entries, and the rename that
// moves a verified one into place. tool-cache copies into place (cacheDir);
// we rename, which is atomic (two jobs racing on a self-hosted runner cannot
// leave a half-written entry) and does not copy the binary a second time.
/** `.staging-<12 hex>`, its `-old` aside, and the `.owner` file of earlier versions of the action. */
const STAGING_NAME = /^\.staging-[0-9a-f]{12}(?:-old|\.owner)?$/;
/** Older than this, a staging directory is abandoned: no install takes a day. */
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;
/**
 * Fresh, private staging directories beside the entries (same file system,
 * so the commit can rename). close() removes every one not committed: call
 * it whether the install worked or not.
 */
function stagingArea$1(parent) {
    const made = [];
    return {
        async create() {
            await node_fs.promises.mkdir(parent, { recursive: true });
            for (;;) {
                const dir = path__namespace$1.join(parent, `.staging-${lazyCrypto().randomBytes(6).toString('hex')}`);
                try {
                    await node_fs.promises.mkdir(dir, { mode: 0o700 });
                }
                catch (error) {
                    if (error.code === 'EEXIST')
                        continue;
                    throw error;
                }
                made.push(dir);
                return dir;
            }
        },
        async close() {
            // A committed directory was renamed away: this removes nothing then.
            // One still locked stays for the sweep: its error must not hide the step's.
            for (const dir of made) {
                try {
                    await node_fs.promises.rm(dir, { recursive: true, force: true });
                }
                catch (error) {
                    info(`Could not remove ${printable(dir)} (${printable(error.message)}); a later install removes it once it is a day old.`);
                }
            }
        }
    };
}
/**
 * Removes what a killed step left in `parent`: only names this module makes
 * (anything else in the shared tool cache is not ours to touch), and only
 * once they are a day old (a live job's is younger). Never fails the step.
 */
async function sweepAbandonedStaging(parent, now = Date.now()) {
    let names;
    try {
        names = node_fs.readdirSync(parent).filter((n) => STAGING_NAME.test(n));
    }
    catch {
        return [];
    }
    const removed = [];
    for (const name of names) {
        const file = path__namespace$1.join(parent, name);
        try {
            if (now - node_fs.lstatSync(file).mtimeMs < ABANDONED_AFTER_MS)
                continue;
            await node_fs.promises.rm(file, { recursive: true, force: true });
            removed.push(name);
        }
        catch (error) {
            info(`Could not remove the leftover ${printable(file)}: ${printable(error.message)}`);
        }
    }
    const dirs = removed.filter((n) => !n.endsWith('.owner'));
    if (dirs.length)
        info(`Removed ${dirs.length} staging director${dirs.length === 1 ? 'y' : 'ies'} left in the tool cache by a step that was stopped: ${dirs.map(printable).join(', ')}`);
    return removed;
}
const fsRenameOps = {
    rename: (from, to) => node_fs.promises.rename(from, to),
    exists: (p) => {
        try {
            node_fs.lstatSync(p);
            return true;
        }
        catch {
            return false;
        }
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
};
/** Codes Windows gives while another process (an antivirus, an indexer) holds a file open. */
const LOCKED = new Set(['EPERM', 'EACCES', 'EBUSY']);
/** Waits between attempts while a file is locked: about 12 s in all. */
const LOCK_WAITS_MS = [50, 100, 200, 400, 800, 1600, 3200, 6000];
const LOCKED_FOR_S = Math.round(LOCK_WAITS_MS.reduce((a, b) => a + b) / 1000);
/**
 * Renames `from` to `to`. Returns 'exists' when `to` is already there (the
 * caller decides whose entry wins). On Windows a rename fails with
 * EPERM/EACCES/EBUSY both when the target exists and while a scanner holds a
 * file just written: with no target, that is a lock, so it waits and tries
 * again instead of reading it as "the entry exists".
 */
async function renameIntoPlace(from, to, ops = fsRenameOps) {
    for (let attempt = 0;; attempt++) {
        try {
            await ops.rename(from, to);
            if (attempt)
                info(`Moved into place after ${attempt + 1} attempts.`);
            return 'renamed';
        }
        catch (error) {
            const code = error.code ?? '';
            if (ops.exists(to))
                return 'exists';
            if (!LOCKED.has(code) || attempt >= LOCK_WAITS_MS.length) {
                const waited = attempt ? ` after ${attempt + 1} attempts` : '';
                throw new Error(`Could not move ${printable(from)} into place as ${printable(to)}${waited} (${code || error.message}); ` +
                    'another program may hold one of its files open. Nothing was cached.', { cause: error });
            }
            if (!attempt)
                info(`The tool cache entry is locked (${code}): another program holds ${printable(from)} or a file in it open; retrying for up to ${LOCKED_FOR_S} s.`);
            await ops.sleep(LOCK_WAITS_MS[attempt]);
        }
    }
}

/*
 * The runner's tool cache in @actions/tool-cache's layout
 * (`{RUNNER_TOOL_CACHE}/{tool}/{version}/{arch}` + `{arch}.complete`):
 * tool-cache finds entries (ours and other actions' alike); what it does not
 * offer is ours: the verified record re-checked on every hit (record.ts) and
 * the atomic rename of a verified staging directory into place (staging.ts).
 */
function toolCacheRoot() {
    const root = process.env.RUNNER_TOOL_CACHE;
    if (!root)
        throw new Error('RUNNER_TOOL_CACHE is not set; is this running on a GitHub Actions runner?');
    return root;
}
/** Where a version's entry lives (whether or not it exists yet). */
function entryDir(tool, version, arch) {
    return path__namespace$1.join(toolCacheRoot(), tool, version, arch);
}
/**
 * The highest cached version that satisfies `range` (tc.find), as setup-node
 * does: a range is then met offline. Whether it is intact is findVerified's.
 */
async function cachedVersionFor(tool, range, arch) {
    toolCacheRoot();
    return (await Promise.resolve().then(() => require('./cacheLookup.cjs'))).highestCached(tool, range, arch);
}
/**
 * Finds a complete entry and checks it is still what was verified
 * (record.ts). An entry that fails is removed and reported, never used. What
 * this does not prove (a rewritten record) is in README's Security section.
 */
async function findVerified(tool, version, arch) {
    await sweepAbandonedStaging(path__namespace$1.join(toolCacheRoot(), tool));
    const dir = entryDir(tool, version, arch);
    if (!isComplete(dir))
        return undefined;
    const entry = readEntry(dir);
    const problem = typeof entry === 'string' ? entry : await whyNotIntact(entry);
    if (problem === undefined && typeof entry !== 'string')
        return entry;
    warning(`The cached ${tool} ${version} in ${printable(dir)} was discarded: ${problem}. It was removed and will be downloaded again.`);
    await discard(dir);
    return undefined;
}
/**
 * tc.find's test for an exact version (the directory and its `.complete`
 * marker), written out so that an exact hit loads neither tool-cache nor
 * semver, which find parses every version with (docs/benchmarks.md).
 */
function isComplete(dir) {
    try {
        node_fs.statSync(`${dir}.complete`);
        return node_fs.statSync(dir).isDirectory();
    }
    catch {
        return false;
    }
}
/** Fresh staging directories for `tool`, beside its entries (see staging.ts). */
function stagingArea(tool) {
    return stagingArea$1(path__namespace$1.join(toolCacheRoot(), tool));
}
/**
 * Records a verified staging directory, renames it into place and marks it
 * complete. If another job got there first with the same verified binary,
 * its entry is used and ours dropped; a broken leftover is replaced.
 */
async function commit(staging, tool, version, arch, fetched, ops = fsRenameOps) {
    const record = await recordOf(staging, fetched);
    await node_fs.promises.writeFile(path__namespace$1.join(staging, RECORD_FILE), JSON.stringify(record, null, 2));
    const dir = entryDir(tool, version, arch);
    await node_fs.promises.mkdir(path__namespace$1.dirname(dir), { recursive: true });
    if ((await renameIntoPlace(staging, dir, ops)) === 'exists') {
        const theirs = readEntry(dir);
        if (typeof theirs !== 'string' &&
            theirs.record.binarySha256 === record.binarySha256 &&
            (await whyNotIntact(theirs)) === undefined) {
            info(`Another job installed the same verified ${tool} ${version} at the same time; using its entry.`);
            await node_fs.promises.rm(staging, { recursive: true, force: true });
            await node_fs.promises.writeFile(`${dir}.complete`, '');
            return theirs;
        }
        // A leftover from a crashed job or a tampered entry: set it aside, then retry.
        const aside = `${staging}-old`;
        if ((await renameIntoPlace(dir, aside, ops)) === 'exists')
            throw new Error(`${printable(aside)} is in the way; nothing was cached.`);
        if ((await renameIntoPlace(staging, dir, ops)) === 'exists')
            throw new Error(`Another job replaced ${printable(dir)} at the same time; nothing was cached.`);
        await node_fs.promises.rm(aside, { recursive: true, force: true });
    }
    await node_fs.promises.writeFile(`${dir}.complete`, '');
    return entryFor(dir, record);
}
/** Removes an entry and its marker. */
async function discard(dir) {
    await node_fs.promises.rm(`${dir}.complete`, { force: true });
    await node_fs.promises.rm(dir, { recursive: true, force: true });
}

async function channelFor(inputs, network) {
    return inputs.cli.channel.kind === 'phar-manifest'
        ? (await Promise.resolve().then(() => require('./phar.cjs'))).pharChannel(inputs, network)
        : githubChannel(inputs, network);
}
/**
 * Finds the requested version in the tool cache, or downloads, verifies and
 * caches it. Network code is loaded only when it is needed: a cache hit for
 * an exact version touches nothing but the file system.
 */
async function install(inputs, target, arch = os__namespace$1.arch(), network = {}) {
    const cli = inputs.cli;
    const channel = await channelFor(inputs, network);
    await channel.preflight?.();
    const spec = inputs.version;
    if (spec.kind === 'range') {
        // Met by an intact cached version: no release listing, as setup-node does.
        const version = await cachedVersionFor(cli.binary, spec.range, arch);
        const cached = version && (await findVerified(cli.binary, version, arch));
        if (cached) {
            info(`Range ${printable(spec.range)} is met by ${version} in the tool cache.`);
            return cacheHit(cli, version, cached);
        }
    }
    const release = await group(`Resolving ${cli.title} version`, () => resolveRelease(channel, spec));
    const version = release.version;
    debug(`Looking for ${cli.binary} ${version} (${arch}) in the tool cache at ${process.env.RUNNER_TOOL_CACHE ?? '(unset)'}`);
    const cached = await findVerified(cli.binary, version, arch);
    if (cached)
        return cacheHit(cli, version, cached);
    return group(`Downloading ${cli.title} ${version}`, async () => {
        const started = Date.now();
        // What runs `--version` after the download loads during it, a macrotask
        // later, once the first request has left: import() of a CommonJS chunk
        // loads it at once, and would delay that request.
        const exec = new Promise((resolve) => setImmediate(resolve)).then(() => Promise.resolve().then(() => require('./exec.cjs')).then(n => n.exec));
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
        info(`Cached in ${printable(entry.dir)}`);
        // After the commit, so that the record's stats describe the files before
        // the CLI ever ran (a run that changed one is caught by the next hit), and
        // no directory is renamed right after its binary ran (Windows may still
        // hold it open). A binary that fails is taken out of the cache again:
        // later hits skip this check.
        try {
            await checkReportedVersion(entry.executablePath, version, cli, exec);
        }
        catch (error) {
            await discard(entry.dir);
            throw error;
        }
        return {
            version,
            dir: entry.dir,
            executablePath: entry.executablePath,
            cacheHit: false,
            verification: `${asset} matched ${source} (SHA-256 ${archiveSha256})`
        };
    });
}
function cacheHit(cli, version, cached) {
    const { asset, archiveSha256 } = cached.record;
    info(`Found ${cli.title} ${version} in the tool cache: ${printable(cached.dir)}`);
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
        // Go's garbage collector runs during the CLI's start-up; for this one
        // short run it only costs time (docs/benchmarks.md, the cold rows).
        // Ignored by the Web PaaS launcher (PHP); `--version` starts nothing else
        // that would inherit it.
        env: { ...cliEnv(cli), GOGC: 'off' }
    });
    const out = `${result.stdout}\n${result.stderr}`.trim();
    const reported = new RegExp(`(^|\\s)v?${version.replace(/\./g, '\\.')}(\\s|$)`, 'm');
    if (result.exitCode !== 0 || !reported.test(out)) {
        const said = `exit code ${result.exitCode}, output: ${JSON.stringify(out.slice(0, 200))}`;
        throw new ActionError((await refusedAsAProgram(executable, result.exitCode, out))
            ? `${cli.binary} could not be started: the system refused it as a program for this machine (exec format error). ` +
                `This Node runs as ${process.arch}, but the machine cannot run ${process.arch} programs; under emulation (qemu-user on another CPU), ` +
                `register qemu-user-static for binfmt_misc so that they run. The download was removed from the tool cache (${said}).`
            : `${cli.binary} --version did not report ${version} (${said}). ` +
                'The download matched its checksum but does not run as that version on this runner, so it was removed from the tool cache; check `version` and the runner (OS, architecture).');
    }
    info(`${cli.binary} --version: ${printable(out.split(/\r\n|\r|\n/)[0])}`);
}
/**
 * Whether the system refused the file as a program (ENOEXEC: a binary for
 * another CPU with no emulator registered). Node's spawn then hands it to
 * /bin/sh, which reads the binary as a script and fails on its line 1.
 */
async function refusedAsAProgram(file, exitCode, out) {
    if (process.platform === 'win32')
        return false;
    if (exitCode === 126 || /exec format error|cannot execute binary file/i.test(out))
        return true;
    if (!out.includes(`${file}: 1: `))
        return false;
    // Only on this failure path: fs is not loaded on a cache hit.
    const { open } = await import('node:fs/promises');
    const handle = await open(file, 'r');
    try {
        const head = Buffer.alloc(4);
        await handle.read(head, 0, 4, 0);
        return head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])); // ELF
    }
    finally {
        await handle.close();
    }
}
function elapsed(since) {
    return `${((Date.now() - since) / 1000).toFixed(2)} s`;
}

/*
 * What the user reads when the project or environment is not what the
 * workflow expects: each message names the input, the user and the project,
 * and says what to do next. Text from the API is made printable first.
 */
/** The token's user as a person reads it: the email, or the id without one. */
function who(user) {
    return user.email ? printable(user.email) : `user ${printable(user.id)}`;
}
/**
 * 403 and 404 on a project cannot be told apart reliably (the CLI treats
 * them alike), so one message covers both: not there, or never invited.
 */
function projectNotAccessible(cli, user, projectId, status) {
    const invitee = user.email ? printable(user.email) : 'EMAIL';
    return new ActionError(`The token's user ${who(user)} cannot access project ${projectId} (HTTP ${status}): ` +
        'the project may not exist, or the user was never invited to it. ' +
        'Check input `project`; to invite a machine user, run ' +
        `\`${cli.binary} user:add ${invitee} -p ${projectId} --role viewer --role development:contributor\` ` +
        "as a project admin, or add it in the console under the project's settings > Access.");
}
/**
 * The API answered for another project id than the one asked for: nothing
 * it says may stand for the workflow's project (its id would be printed,
 * exported and summarised as if it were).
 */
function projectIdMismatch(apiUrl, asked, answered) {
    return new ActionError(`${new URL(apiUrl).host} answered GET /projects/${asked} with a project whose id is ${JSON.stringify(printable(answered).slice(0, 80))}, not ${asked}. ` +
        'Check `api-url`: it must be the API of the platform that holds the project.');
}
function projectSuspended(project) {
    return new ActionError(`Project ${project.id} (${printable(project.title)}) is suspended (${project.suspension}): the platform neither runs nor deploys it. ` +
        "Check the organization's billing and the project's plan in the console, then run the job again.");
}
/** Shown at most this many environments in an error. */
const LISTED = 20;
function environmentNotFound(cli, user, project, wanted, environments) {
    const names = environments.slice(0, LISTED).map((e) => {
        const notes = [
            e.machineName && e.machineName !== e.id ? `machine name ${e.machineName}` : '',
            e.status && e.status !== 'active' ? e.status : ''
        ].filter(Boolean);
        return printable(notes.length ? `${e.id} (${notes.join(', ')})` : e.id);
    });
    const more = environments.length > LISTED ? `, and ${environments.length - LISTED} more` : '';
    const seen = environments.length
        ? `The environments ${who(user)} can see: ${names.join(', ')}${more}.`
        : `${who(user)} can see no environment in it.`;
    return new ActionError(`Input \`environment\`: project ${project.id} (${printable(project.title)}) has no environment ${JSON.stringify(wanted)} ` +
        `(by ID or machine name) that ${who(user)} can see. ${seen} ` +
        `Check the name, or create the environment by pushing its branch: \`${cli.binary} push --target ${wanted} --activate\`.`);
}
/** Admin is more than most jobs need, but backups need it: a notice, not a failure. */
function adminNotice(user, project) {
    return (`${who(user)} is an admin of project ${project.id}. The platform advises giving a machine user the least access each task needs ` +
        '(a viewer or contributor role per environment type; admin only where it is needed, such as for backups).');
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
    info(`Project ${printable(project.id)}: ${printable(project.title)} (region ${printable(project.region)}).`);
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

/**
 * Resources to release before the step ends (pooled HTTP connections), so
 * that Node exits as soon as the work is done. Modules loaded on demand
 * register here; main.ts runs them without having to import those modules.
 */
const hooks = [];
function onShutdown(hook) {
    hooks.push(hook);
}
async function shutdown() {
    await Promise.allSettled(hooks.splice(0).map((hook) => hook()));
}
/**
 * Runs a step's work from its entry. The bundle is CommonJS, which has no
 * top-level await; were Node ever to run out of things to wait for while
 * `work` is still pending, the process would exit 0 and the step pass with
 * nothing done (an ES module's top-level await exited 13 instead). `unfinished`
 * is called on exit in that case, to say so and set the exit code.
 */
function runStep(work, unfinished) {
    let finished = false;
    process.on('exit', () => {
        if (!finished)
            unfinished();
    });
    void work().finally(() => (finished = true));
}

/**
 * The Go CLI bundles the platform's SSH host keys (`git.<region>.platform.sh`,
 * `ssh.<region>.platform.sh`) from 5.0.6 on (legacy 4.12.1). With an older
 * one, the certificate loads but every later git or ssh step stops at "Host
 * key verification failed": refused before anything is downloaded when the
 * version is exact, else as soon as it is resolved. The Web PaaS phar bundles
 * no host keys for its hosts in any version (its caveat says what to do).
 */
const SSH_CERT_MIN_VERSION = '5.0.6';
function checkSshCertVersion(cli, version) {
    if (cli.channel.kind !== 'github-releases')
        return;
    if (compareVersions(version, SSH_CERT_MIN_VERSION) >= 0)
        return;
    throw new InputError(`\`ssh-cert: true\` needs ${cli.title} ${SSH_CERT_MIN_VERSION} or later, and \`version\` is ${version}: ` +
        `older versions bundle no SSH host keys for the platform, so later git and ssh steps would stop at "Host key verification failed". ` +
        `Set \`version\` to ${SSH_CERT_MIN_VERSION} or later (or latest).`);
}
/**
 * Compares dotted numeric versions (`5.0.6`, `5.0.6-rc.1` counts as 5.0.6).
 * Hand-written so that a cache hit does not load semver (measured by bench).
 */
function compareVersions(a, b) {
    const parts = (v) => v
        .replace(/^v/, '')
        .split(/[-+]/)[0]
        .split('.')
        .map((n) => Number.parseInt(n, 10) || 0);
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const d = (x[i] ?? 0) - (y[i] ?? 0);
        if (d !== 0)
            return Math.sign(d);
    }
    return 0;
}

/*
 * What the main step hands to the post step, in one place (setup-go's
 * constants.ts): the state keys and the shape saved under each. Post reads
 * only this, never inputs (a nested composite action's post step can get the
 * wrong ones). Paths and flags only: never a secret.
 */
exports.State = void 0;
(function (State) {
    /** 'false' when the workflow asked to keep the credentials. */
    State["Cleanup"] = "cleanup";
    /** CliSessionState: the job's CLI session, and the shared files as they were before. */
    State["CliSession"] = "cli-session";
    /** SshState: what loading the SSH certificate changed. */
    State["Ssh"] = "ssh";
    /** The job's own directory for the CLI's unpacked PHP and phar ({P}TMP). */
    State["CliTmp"] = "cli-tmp";
})(exports.State || (exports.State = {}));
function saveState(key, value) {
    saveState$1(key, JSON.stringify(value));
}

/** A job summary table: facts only, never a secret; nothing outside a runner. */
async function writeSummary(facts) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    const { inputs, installed, user } = facts;
    const auth = !facts.authenticated
        ? 'no token (install only)'
        : user
            ? `${cell(user.email || 'user')} (${cell(user.id)})`
            : 'token exported, not checked online';
    const rows = [
        ['CLI', `${inputs.cli.title} (<code>${inputs.cli.binary}</code>)`],
        ['Version', cell(installed.version)],
        ['Tool cache', installed.cacheHit ? 'hit' : 'miss (downloaded)'],
        // Holds the asset's name (from a manifest, or a cache record on a hit).
        ['Verification', cell(installed.verification)],
        ['Authenticated as', auth]
    ];
    rows.push(...projectRows(inputs, facts.project));
    if (facts.sshCertExpiresAt)
        rows.push(['SSH certificate expires', cell(facts.sshCertExpiresAt)]);
    // core.summary writes cells as given: every server value went through cell().
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
        const rows = [['Project', `<code>${cell(inputs.project)}</code> (not checked online)`]];
        if (inputs.environment)
            rows.push(['Environment', `<code>${cell(inputs.environment)}</code> (not checked online)`]);
        return rows;
    }
    const { project, environment } = checked;
    const rows = [
        [
            'Project',
            `${cell(project.title)} (<code>${cell(project.id)}</code>, ${cell(project.region)})`
        ]
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
 *   refuse a CLI user config an earlier job may have left → give the job
 *   its own unpack directory and CLI session (post removes both) →
 *   install the CLI (tool cache, or download + verify) while the token is
 *   checked online, then the deploy to wait for (if asked) and the project
 *   with it → load the SSH certificate if asked → export what later steps
 *   need (session id included) →
 *   bind later steps to the project → outputs and summary.
 */
async function run() {
    try {
        const inputs = readInputs();
        forgetJobSecrets();
        saveState(exports.State.Cleanup, inputs.cleanup);
        // github.token is masked by the runner; a personal token passed here may not be.
        if (inputs.githubToken)
            setSecret(inputs.githubToken);
        const { token, fromEnv } = acceptToken(inputs.token, inputs.cli);
        debug(describeInputs(inputs));
        if (inputs.sshCert && !token)
            throw new InputError(missingTokenMessage('`ssh-cert: true`'));
        if (inputs.deploy.wait && !token)
            throw new InputError(missingTokenMessage('`wait-for-deployment: true`'));
        if (inputs.sshCert && inputs.version.kind === 'exact')
            checkSshCertVersion(inputs.cli, inputs.version.version);
        guardDebug(inputs);
        if (token)
            warnIfUntrustedCodeMayFollow(inputs);
        await refuseUserConfig(inputs.cli, path__namespace$1.join(homes(inputs.cli).home, inputs.cli.userDir));
        const cliTmp = openJobCliTmp(inputs);
        const session = token ? await openSession(inputs, token) : undefined;
        const target = resolveTarget();
        if (target.emulationWarning)
            warning(target.emulationWarning);
        if (!token)
            notice(`No API token given: ${inputs.cli.title} is installed but not authenticated.`);
        const [installed, online] = await installWhileCheckingToken(inputs, target, token);
        if (inputs.sshCert)
            checkSshCertVersion(inputs.cli, installed.version);
        const later = variablesForLaterSteps(inputs, fromEnv ? '' : token, session, cliTmp);
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
    const userDir = path__namespace$1.join(homes(inputs.cli).home, inputs.cli.userDir);
    const session = await openCliSession(inputs.cli, userDir, token);
    saveState(exports.State.CliSession, session);
    const name = cliVar(inputs.cli, 'SESSION_ID');
    info(session.chosenByWorkflow
        ? `CLI session: ${session.sessionId} (set by the workflow in ${name}).`
        : `CLI session: ${session.sessionId}, this job's own (${name}); the post step removes it.`);
    return session;
}
/**
 * The job's own directory for what the CLI unpacks and runs (auth/cliTmp.ts
 * says why); post removes it.
 */
function openJobCliTmp(inputs) {
    const tmp = openCliTmp(inputs.cli);
    if (!tmp)
        return undefined;
    saveState(exports.State.CliTmp, tmp.dir);
    if (tmp.workflowValue) {
        warning(`${tmp.variable} is set by the workflow (${printable(tmp.workflowValue)}). This action's own CLI runs unpack into a fresh directory of the job, ` +
            `but later steps that get the workflow's value run whatever an earlier job left there. Remove ${tmp.variable} from the workflow.`);
    }
    return tmp.dir;
}
/**
 * Installs the CLI while the token is checked online (and then the project,
 * with the access token the exchange gave). Both are awaited to the end even
 * if one fails early (allSettled, not all), so that no download or retry
 * carries on after the step has failed; every failure is reported. The
 * token's result is logged after both, so each story reads in one piece.
 */
async function installWhileCheckingToken(inputs, target, token) {
    const installing = install(inputs, target);
    const [installed, user] = await Promise.allSettled([
        installing,
        token && inputs.verifyToken
            ? checkOnline(inputs, token, installing)
            : Promise.resolve(undefined)
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
/**
 * The token exchange, then (when `project` is set) the deploy to wait for, if
 * asked, and the project, with its access token.
 */
async function checkOnline(inputs, token, installing) {
    const { cli, authUrl, apiUrl, project, environment } = inputs;
    const { user, accessToken } = await verifyToken({ cli, token, authUrl, apiUrl });
    if (!project)
        return { user };
    if (inputs.deploy.wait)
        await waitForDeployment(inputs, user, accessToken, installing);
    const { checkProject } = await Promise.resolve().then(() => require('./check.cjs'));
    return {
        user,
        project: await checkProject({ cli, apiUrl, accessToken, user, projectId: project, environment })
    };
}
/**
 * `wait-for-deployment`, once the install is over (its log then reads in one
 * piece, and a failed install waits for nothing); loaded only when asked for.
 */
async function waitForDeployment(inputs, user, accessToken, installing) {
    if (!(await installing.then(() => true).catch(() => false)))
        return;
    const { awaitDeployment } = await Promise.resolve().then(() => require('./deploy.cjs'));
    const { cli, apiUrl, project, environment, deploy, githubToken } = inputs;
    await awaitDeployment({
        cli,
        apiUrl,
        accessToken,
        user,
        project,
        environment,
        deploy,
        githubToken
    });
}
/**
 * Runs the CLI's ssh-cert:load in the job's session, with what later steps
 * will get (endpoints, session id) and the token (the module is loaded only
 * when asked for).
 */
async function loadCertificate(inputs, installed, token, later) {
    return group('Loading the SSH certificate', async () => (await Promise.resolve().then(() => require('./load.cjs'))).loadSshCert({
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
/** The CLI's variables for later steps: session, unpack directory, CI settings, endpoints, token. */
function variablesForLaterSteps(inputs, token, session, cliTmp) {
    const { cli } = inputs;
    const vars = {};
    // Later CLI runs (and the certificate refresh inside ssh and git) use the job's session.
    if (session)
        vars[cliVar(cli, 'SESSION_ID')] = session.sessionId;
    if (cliTmp)
        vars[cliVar(cli, 'TMP')] = cliTmp;
    Object.assign(vars, ciSettings(cli));
    // Every endpoint, defaults included, so that later CLI runs talk to the
    // platform the token was checked against whatever a config file says.
    Object.assign(vars, endpointVariables(cli, inputs.authUrl, inputs.apiUrl));
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

exports.ActionError = ActionError;
exports.DEADLINE_MS = DEADLINE_MS;
exports.PLATFORMSH_RELEASES = PLATFORMSH_RELEASES;
exports.RETRY_BASE_MS = RETRY_BASE_MS;
exports.TIMEOUT_MS = TIMEOUT_MS;
exports.UPSUN_RELEASES = UPSUN_RELEASES;
exports.asError = asError;
exports.badVersion = badVersion;
exports.checkSshCertVersion = checkSshCertVersion;
exports.childEnv = childEnv;
exports.cliVar = cliVar;
exports.commonjsGlobal = commonjsGlobal;
exports.debug = debug;
exports.downloadUrl = downloadUrl;
exports.echoUntrusted = echoUntrusted;
exports.environmentNotFound = environmentNotFound;
exports.errorMessage = errorMessage;
exports.exactRelease = exactRelease;
exports.getDefaultExportFromCjs = getDefaultExportFromCjs;
exports.gitHubRelease = gitHubRelease;
exports.group = group;
exports.info = info;
exports.isLoopbackHost = isLoopbackHost;
exports.lazyCrypto = lazyCrypto;
exports.lazyZlib = lazyZlib;
exports.onShutdown = onShutdown;
exports.printable = printable;
exports.projectIdMismatch = projectIdMismatch;
exports.projectNotAccessible = projectNotAccessible;
exports.projectSuspended = projectSuspended;
exports.run = run;
exports.runStep = runStep;
exports.saveState = saveState;
exports.setFailed = setFailed;
exports.setOutput = setOutput;
exports.sha256File = sha256File;
exports.summary = summary;
exports.tagFor = tagFor;
exports.urlRefusal = urlRefusal;
exports.warning = warning;
