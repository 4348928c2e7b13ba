'use strict';

const promises = require('node:fs/promises');
const os = require('os');
const node_fs = require('node:fs');
const path = require('node:path');
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

const os__namespace = /*#__PURE__*/_interopNamespaceDefault(os);
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

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
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
/**
 * Writes debug message to user log
 * @param message debug message
 */
function debug(message) {
    issueCommand('debug', {}, message);
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
 * Writes info to log with console.log.
 * @param message info message
 */
function info(message) {
    process.stdout.write(message + os__namespace.EOL);
}
/**
 * Gets the value of an state set by this action's main execution.
 *
 * @param     name     name of the state to get
 * @returns   string
 */
function getState(name) {
    return process.env[`STATE_${name}`] || '';
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

/** An error whose message is already written for the workflow's author. */
/** The message of anything thrown, including non-Error values. */
function errorMessage(error) {
    if (error instanceof Error)
        return error.message;
    return String(error);
}

// fs.promises, not node:fs/promises: loaded on first use, never on a cache hit
// without a token (see toolcache.ts).
/** Where a session's files live. */
function sessionDir(userDir, sessionId) {
    return path__namespace.join(userDir, '.session', `sess-cli-${sessionId}`);
}
/**
 * Post: removes the job's session (whole when the action made it), the
 * token's access tokens, and puts the files shared by all sessions back as
 * they were, unless another job has changed them since. A user directory
 * the job created goes entirely when no other session is left in it.
 * Returns what was removed or restored, one line each, for the log.
 */
async function closeCliSession(state, options) {
    const { userDir } = state;
    const done = [];
    const remove = async (p) => {
        if (!(await exists(p)))
            return;
        await node_fs.promises.rm(p, { recursive: true, force: true });
        done.push(`Removed ${p}`);
    };
    const dir = sessionDir(userDir, state.sessionId);
    if (!state.chosenByWorkflow) {
        await remove(dir);
        await remove(path__namespace.join(userDir, 'locks', `ssh-cert--sess-cli-${state.sessionId}.lock`));
    }
    else {
        const before = new Set(state.sessionBefore);
        for (const rel of await filesUnder(dir)) {
            const inSsh = rel.startsWith('ssh/');
            if (!before.has(rel) || (inSsh && options.certificateLoaded))
                await remove(path__namespace.join(dir, ...rel.split('/')));
        }
        await removeEmptyDirs(dir, false);
    }
    await remove(path__namespace.join(userDir, '.session', state.tokenSession));
    // ssh/session.config includes the most recently configured session: put
    // it back only while it still points to ours.
    const sessionConfig = path__namespace.join(userDir, 'ssh', 'session.config');
    const current = await readText(sessionConfig);
    if (current !== undefined && current.includes(dir)) {
        const before = state.sharedSsh['session.config'];
        if (before === null || before === undefined)
            await remove(sessionConfig);
        else {
            await node_fs.promises.writeFile(sessionConfig, before);
            done.push(`Restored ${sessionConfig}`);
        }
    }
    const others = await otherSessions(userDir);
    if (others.length === 0) {
        for (const file of ['host-keys', 'host-keys.config']) {
            if (state.sharedSsh[file] === null)
                await remove(path__namespace.join(userDir, 'ssh', file));
        }
        if (!state.userDirExisted) {
            // Created for this job, and no other session lives in it: cache and locks go too.
            await remove(userDir);
            return done;
        }
    }
    for (const sub of ['ssh', 'locks', '.session'])
        await removeEmptyDirs(path__namespace.join(userDir, sub), true);
    return done;
}
/** Sessions in the user directory, other than a removed one. */
async function otherSessions(userDir) {
    try {
        return (await node_fs.promises.readdir(path__namespace.join(userDir, '.session'))).filter((n) => n.startsWith('sess-'));
    }
    catch {
        return [];
    }
}
/** Files under dir, relative and `/`-separated ([] when it does not exist). */
async function filesUnder(dir) {
    try {
        const entries = await node_fs.promises.readdir(dir, { recursive: true, withFileTypes: true });
        return entries
            .filter((e) => !e.isDirectory())
            .map((e) => path__namespace.relative(dir, path__namespace.join(e.parentPath, e.name)).split(path__namespace.sep).join('/'));
    }
    catch {
        return [];
    }
}
/** Removes empty directories under (and, if asked, including) dir, deepest first. */
async function removeEmptyDirs(dir, includeSelf) {
    let entries;
    try {
        entries = await node_fs.promises.readdir(dir, { withFileTypes: true });
    }
    catch {
        return;
    }
    for (const e of entries)
        if (e.isDirectory())
            await removeEmptyDirs(path__namespace.join(dir, e.name), true);
    if (includeSelf)
        await node_fs.promises.rmdir(dir).catch(() => undefined);
}
async function readText(file) {
    try {
        return await node_fs.promises.readFile(file, 'utf8');
    }
    catch {
        return undefined;
    }
}
async function exists(p) {
    try {
        await node_fs.promises.stat(p);
        return true;
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
    return path__namespace.resolve(env.RUNNER_TEMP || os__namespace$1.tmpdir());
}
/** True when `dir` is one openCliTmp could have made: post removes nothing else. */
function isCliTmp(dir, env = process.env) {
    return (typeof dir === 'string' &&
        path__namespace.isAbsolute(dir) &&
        path__namespace.dirname(dir) === parentDir(env) &&
        new RegExp(`^${PREFIX}[A-Za-z0-9]{6}$`).test(path__namespace.basename(dir)));
}

/**
 * Undoing edits to an OpenSSH config file, byte for byte. The CLI appends
 * its `# BEGIN: … certificate configuration` block after trimming the file's
 * trailing whitespace, so the original bytes cannot be recovered from the
 * edited file alone: a copy is kept (in RUNNER_TEMP) before anything edits
 * it, and restored when the only change since is the block(s) we caused.
 */
/** A block from `# BEGIN: <name>` to `# END: <name>`, any name matching. */
const BLOCK = /^# BEGIN: (.*(?:certificate configuration|setup-upsun-cli.*))\n[\s\S]*?^# END: \1\n?/gm;
/** Removes the marked blocks; returns what is left. */
function withoutBlocks(text) {
    return text.replace(BLOCK, '');
}
/**
 * Puts a config file back as it was: the original bytes if nothing but our
 * blocks changed, otherwise the current content minus our blocks (another
 * step's later edits are kept). A file we created and left empty is removed.
 */
async function restoreConfig(record) {
    let current;
    try {
        current = await promises.readFile(record.file, 'utf8');
    }
    catch {
        return 'untouched';
    }
    const remainder = withoutBlocks(current);
    if (remainder === current)
        return 'untouched';
    const original = record.backup ? await promises.readFile(record.backup, 'utf8') : '';
    if (remainder.trimEnd() === original.trimEnd()) {
        if (!record.existed) {
            await promises.rm(record.file, { force: true });
            return 'removed';
        }
        await promises.writeFile(record.file, original);
        return 'restored';
    }
    await promises.writeFile(record.file, remainder.replace(/\n{3,}$/, '\n'));
    return 'edited';
}

/*
 * What the main step hands to the post step, in one place (setup-go's
 * constants.ts): the state keys and the shape saved under each. Post reads
 * only this, never inputs (a nested composite action's post step can get the
 * wrong ones). Paths and flags only: never a secret.
 */
var State;
(function (State) {
    /** 'false' when the workflow asked to keep the credentials. */
    State["Cleanup"] = "cleanup";
    /** CliSessionState: the job's CLI session, and the shared files as they were before. */
    State["CliSession"] = "cli-session";
    /** SshState: what loading the SSH certificate changed. */
    State["Ssh"] = "ssh";
    /** The job's own directory for the CLI's unpacked PHP and phar ({P}TMP). */
    State["CliTmp"] = "cli-tmp";
})(State || (State = {}));
/** The saved value, or undefined (with a warning when it cannot be read). */
function readState(key) {
    const raw = getState(key);
    if (!raw)
        return undefined;
    try {
        return JSON.parse(raw);
    }
    catch {
        warning(`Saved state ${key} is unreadable; that part of cleanup was skipped.`);
        return undefined;
    }
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

/*
 * Post removes and rewrites what saved state names, and saved state is only
 * as trustworthy as the main step's log: a line of it that the runner read as
 * `::save-state` would hand post any path. So post acts only on state main
 * could have produced: the shapes of the paths main builds, under the homes
 * it builds them in (the CLI's home, HOME, the passwd home) and RUNNER_TEMP.
 */
/** Where main puts a CLI user directory or `.ssh`: every home the CLI or OpenSSH may use. */
function homes() {
    const env = process.env;
    const found = [os__namespace$1.homedir(), env.HOME, env.USERPROFILE];
    for (const cli of Object.values(CLIS))
        found.push(env[`${cli.envPrefix}HOME`]);
    try {
        found.push(os__namespace$1.userInfo().homedir);
    }
    catch {
        // no passwd entry: main had none either
    }
    return found.filter((h) => !!h).map((h) => path__namespace.resolve(h));
}
/** An absolute, normalised path with no control character (a line break above all). */
function plainPath(p) {
    return (typeof p === 'string' &&
        path__namespace.isAbsolute(p) &&
        path__namespace.resolve(p) === p &&
        firstControlCharacter(p) === undefined);
}
const USER_DIRS = new Set(Object.values(CLIS).map((c) => c.userDir));
const SESSION_ID = /^[a-z0-9_-]+$/;
const TOKEN_SESSION = /^sess-api-token-[0-9a-f]{32}$/;
/** Why main could not have saved this CLI session state, or undefined. */
function cliSessionProblem(state) {
    const { userDir, sessionId, tokenSession, sessionBefore } = state;
    if (!plainPath(userDir) ||
        !USER_DIRS.has(path__namespace.basename(userDir)) ||
        !homes().includes(path__namespace.dirname(userDir)))
        return 'its CLI directory is not a CLI directory in a home of this runner user';
    if (typeof sessionId !== 'string' || !SESSION_ID.test(sessionId))
        return 'its session id is not one the CLI accepts';
    if (typeof tokenSession !== 'string' || !TOKEN_SESSION.test(tokenSession))
        return 'its token session is not named as the CLI names them';
    if (!Array.isArray(sessionBefore) ||
        !sessionBefore.every((rel) => typeof rel === 'string' && !rel.split('/').includes('..')))
        return 'its list of session files is not relative';
    return undefined;
}
const BACKUP_DIR = /^setup-upsun-cli-ssh-[A-Za-z0-9]{6}$/;
const BACKUP_NAMES = new Set(['config', 'config.passwd-home']);
/** Why main could not have saved this SSH state, or undefined. */
function sshProblem(state) {
    const { backupDir, configs, createdDirs } = state;
    const temp = path__namespace.resolve(process.env.RUNNER_TEMP || os__namespace$1.tmpdir());
    if (!plainPath(backupDir) || path__namespace.dirname(backupDir) !== temp)
        return 'its backup directory is not in RUNNER_TEMP';
    if (!BACKUP_DIR.test(path__namespace.basename(backupDir)))
        return 'its backup directory is not named as main names it';
    if (!Array.isArray(configs) || !Array.isArray(createdDirs))
        return 'it is not SSH state';
    const sshDirs = homes().map((home) => path__namespace.join(home, '.ssh'));
    for (const { file, backup } of configs) {
        if (!plainPath(file) || path__namespace.basename(file) !== 'config')
            return 'it names an OpenSSH config that is not ~/.ssh/config';
        if (!sshDirs.includes(path__namespace.dirname(file)))
            return 'it names an OpenSSH config outside the homes of this runner user';
        if (backup !== undefined &&
            (!plainPath(backup) ||
                path__namespace.dirname(backup) !== backupDir ||
                !BACKUP_NAMES.has(path__namespace.basename(backup))))
            return 'it names a backup outside its backup directory';
    }
    if (!createdDirs.every((dir) => plainPath(dir) && sshDirs.includes(dir)))
        return 'it names a directory to remove that is not ~/.ssh';
    return undefined;
}

/**
 * The post step: removes every credential the action caused. It reads only
 * what main saved in state (never inputs: a nested composite action's post
 * step can get the wrong ones), runs even when main failed half way, and its
 * own failures are warnings. The tool cache stays.
 */
async function runPost() {
    // Not a credential, but code an earlier job could have swapped: it goes whatever `cleanup` says.
    await removeCliTmp();
    if (readState(State.Cleanup) === false) {
        info('cleanup is false: leaving the CLI session, SSH key and certificate in place.');
        return;
    }
    const session = trusted(State.CliSession, readState(State.CliSession), cliSessionProblem);
    const ssh = trusted(State.Ssh, readState(State.Ssh), sshProblem);
    debug(printable(`Saved state: CLI session ${session ? `${session.sessionId} in ${session.userDir}` : 'none'}; SSH ${ssh ? `${ssh.configs.length} config file(s), backups in ${ssh.backupDir}` : 'none'}.`));
    if (!session && !ssh) {
        info('Nothing to clean up: the action created no credentials.');
        return;
    }
    if (session) {
        await attempt(`removing the CLI session ${session.sessionId}`, async () => {
            const done = await closeCliSession(session, { certificateLoaded: Boolean(ssh) });
            for (const line of done)
                info(printable(line));
        });
    }
    if (ssh) {
        for (const record of ssh.configs) {
            await attempt(`restoring ${record.file}`, async () => {
                const outcome = await restoreConfig(record);
                if (outcome !== 'untouched')
                    info(`${printable(record.file)}: ${outcome}`);
            });
        }
        for (const dir of [...ssh.createdDirs].reverse()) {
            // Only if empty: anything another step put there stays.
            await attempt(`removing ${dir}`, () => promises.rmdir(dir).catch(ignoreNotEmpty));
        }
        await attempt('removing the backup copies', () => promises.rm(ssh.backupDir, { recursive: true, force: true }));
    }
}
/** The job's unpack directory ({P}TMP), if main made one; nothing else. */
async function removeCliTmp() {
    const dir = readState(State.CliTmp);
    if (dir === undefined)
        return;
    if (!isCliTmp(dir)) {
        warning(`Cleanup: the saved unpack directory ${printable(String(dir))} is not one this action makes; left alone.`);
        return;
    }
    await attempt(`removing ${dir}`, async () => {
        await promises.rm(dir, { recursive: true, force: true });
        info(`Removed the job's unpack directory ${printable(dir)}`);
    });
}
/** The saved state, unless main could not have saved it (stateGuard.ts): then a warning. */
function trusted(key, value, problem) {
    const why = value === undefined ? undefined : problem(value);
    if (why === undefined)
        return value;
    warning(`Saved state ${key} was refused: ${why}, so the action did not write it; that part of cleanup was skipped.`);
    return undefined;
}
async function attempt(what, work) {
    try {
        await work();
    }
    catch (error) {
        warning(`Cleanup: ${printable(what)} failed: ${printable(errorMessage(error))}`);
    }
}
function ignoreNotEmpty(error) {
    const code = error.code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT')
        throw error;
}

/**
 * Resources to release before the step ends (pooled HTTP connections), so
 * that Node exits as soon as the work is done. Modules loaded on demand
 * register here; main.ts runs them without having to import those modules.
 */
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

// Entry of the post step (action.yml runs.post). All logic lives in post.ts.
// Post's failures are warnings (see post.ts), an unfinished post included.
runStep(runPost, () => warning('Cleanup stopped before it finished: Node had nothing left to wait for, so some credentials may remain on this runner. This is a bug; please report it with this log.'));
