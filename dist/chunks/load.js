import { w as which, g as getExecOutput } from './exec.js';
import { copyFile, readFile, writeFile, mkdtemp, stat, mkdir, readdir, chmod } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { A as ActionError, c as checkSshCertVersion, w as warning, d as echoUntrusted, i as info, f as cliVar, s as saveState, S as State } from './startup.js';
import 'string_decoder';
import 'os';
import 'events';
import 'child_process';
import 'path';
import 'assert';
import 'fs';
import 'timers';
import 'node:fs';

/** The platform's certifier adds this extension only when MFA was verified. */
const MFA_EXTENSION = 'has-mfa@platform.sh';
/** Reads the expiry and the extension names of an OpenSSH certificate. */
function readCertificate(certLine) {
    const [type, b64] = certLine.trim().split(/\s+/);
    const blob = Buffer.from(b64 ?? '', 'base64');
    let offset = 0;
    const u32 = () => {
        if (offset + 4 > blob.length)
            throw new ActionError('The SSH certificate is truncated.');
        const v = blob.readUInt32BE(offset);
        offset += 4;
        return v;
    };
    const str = () => {
        const len = u32();
        if (offset + len > blob.length)
            throw new ActionError('The SSH certificate is truncated.');
        const v = blob.subarray(offset, offset + len);
        offset += len;
        return v;
    };
    const u64 = () => {
        if (offset + 8 > blob.length)
            throw new ActionError('The SSH certificate is truncated.');
        const v = blob.readBigUInt64BE(offset);
        offset += 8;
        return v;
    };
    const inner = str().toString('latin1');
    if (!inner.endsWith('-cert-v01@openssh.com') || inner !== type) {
        throw new ActionError(`Not an OpenSSH certificate: ${JSON.stringify(type?.slice(0, 60))}.`);
    }
    str(); // nonce
    // Public key fields, by key type.
    const fields = inner.startsWith('ssh-rsa')
        ? 2
        : inner.startsWith('ssh-dss')
            ? 4
            : inner.startsWith('ecdsa')
                ? 2
                : 1;
    for (let i = 0; i < fields; i++)
        str();
    u64(); // serial
    u32(); // type
    str(); // key id
    str(); // principals
    u64(); // valid after
    const validBefore = u64();
    str(); // critical options
    const extensionBlob = str();
    const extensions = [];
    // name (string), data (string), repeated
    for (let at = 0; at + 4 <= extensionBlob.length;) {
        const nameLength = extensionBlob.readUInt32BE(at);
        const name = extensionBlob.subarray(at + 4, at + 4 + nameLength).toString('latin1');
        at += 4 + nameLength;
        if (at + 4 > extensionBlob.length)
            break;
        at += 4 + extensionBlob.readUInt32BE(at);
        extensions.push(name);
    }
    const expiresAt = validBefore === 0xffffffffffffffffn
        ? 'forever'
        : new Date(Number(validBefore) * 1000).toISOString().replace('.000Z', 'Z');
    return { expiresAt, extensions };
}

async function backupConfig(file, backup) {
    try {
        await copyFile(file, backup);
        return { file, existed: true, backup };
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return { file, existed: false };
        throw error;
    }
}
/** Appends a marked block (creating the file 0600 if needed). */
async function appendBlock(file, name, body) {
    let current = '';
    try {
        current = await readFile(file, 'utf8');
    }
    catch {
        // a new file
    }
    const separator = current === '' ? '' : current.endsWith('\n') ? '\n' : '\n\n';
    await writeFile(file, `${current}${separator}# BEGIN: ${name}\n${body}# END: ${name}\n`, {
        mode: 0o600
    });
}

const INCLUDE_BLOCK = 'setup-upsun-cli include of the CLI SSH configuration';
/**
 * Runs `<cli> ssh-cert:load --no-interaction` (token in its environment,
 * never on its command line), so that later git/ssh/rsync/scp steps reach the
 * platform. Everything post must undo is saved in state before it is done.
 */
async function loadSshCert(options) {
    const { cli, home, sshHome } = options;
    // main checks this before anything is exported; kept here for any other caller.
    checkSshCertVersion(cli, options.version);
    if (cli.sshCaveat)
        warning(cli.sshCaveat);
    if (!(await which('ssh-keygen', false))) {
        throw new ActionError('ssh-cert: true needs OpenSSH (ssh and ssh-keygen) on the runner; install it in an earlier step.');
    }
    const state = {
        configs: [],
        createdDirs: [],
        backupDir: await mkdtemp(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'setup-upsun-cli-ssh-'))
    };
    const save = () => saveState(State.Ssh, state);
    const sshDir = path.join(home, '.ssh');
    await ensureSshDir(sshDir, state);
    state.configs.push(await backupConfig(path.join(sshDir, 'config'), path.join(state.backupDir, 'config')));
    save();
    const result = await getExecOutput(options.binaryPath, ['ssh-cert:load', '--no-interaction'], {
        env: options.env,
        silent: true,
        ignoreReturnCode: true
    });
    // The CLI's output holds what servers said: echoed with commands stopped.
    const lines = echoUntrusted(`${result.stdout}\n${result.stderr}`);
    if (result.exitCode !== 0) {
        throw new ActionError(`${cli.binary} ssh-cert:load failed (exit code ${result.exitCode}): ${lastLines(lines)}. ` +
            "Check that the token is valid and that its user may get SSH certificates; the CLI's message above says more.");
    }
    if (path.resolve(sshHome) !== path.resolve(home)) {
        // Container jobs: HOME (/github/home) is not the passwd home OpenSSH reads.
        // Include the config the CLI wrote from the one ssh will read.
        const passwdSshDir = path.join(sshHome, '.ssh');
        await ensureSshDir(passwdSshDir, state);
        const config = path.join(passwdSshDir, 'config');
        state.configs.push(await backupConfig(config, path.join(state.backupDir, 'config.passwd-home')));
        save();
        await appendBlock(config, INCLUDE_BLOCK, `Match all\nInclude ${sshPath(path.join(sshDir, 'config'))}\n`);
        info(`HOME (${home}) is not the home OpenSSH reads (${sshHome}); ${config} now includes ${path.join(sshDir, 'config')}.`);
    }
    const sessionId = options.env[cliVar(cli, 'SESSION_ID')] || 'default';
    const keyDir = path.join(home, cli.userDir, '.session', `sess-cli-${sessionId}`, 'ssh');
    const certPath = await findCertificate(keyDir);
    if (!certPath) {
        throw new ActionError(`${cli.binary} ssh-cert:load reported success, but wrote no certificate (id_*-cert.pub) in ${keyDir}.`);
    }
    const keyPath = certPath.slice(0, -'-cert.pub'.length);
    for (const file of [certPath, keyPath])
        await tighten(file);
    const { expiresAt, extensions } = readCertificate(await readFile(certPath, 'utf8'));
    info(`SSH certificate ${certPath} expires at ${expiresAt}; later ssh and git runs refresh it through the CLI.`);
    if (!extensions.includes(MFA_EXTENSION)) {
        info(`The certificate has no ${MFA_EXTENSION} extension: it is not MFA-verified (certificates from an API token never are). ` +
            'An organization that enforces multi-factor authentication refuses it when ssh or git connect ("access requires MFA"), not now.');
    }
    return { path: certPath, expiresAt };
}
/**
 * The certificate in a session's ssh directory: `id_<algorithm>-cert.pub`
 * (ed25519 today; an upcoming CLI names the key after its algorithm, e.g.
 * `id_rsa` on FIPS hosts). The newest wins if there are several.
 */
async function findCertificate(keyDir) {
    let names;
    try {
        names = (await readdir(keyDir)).filter((n) => /^id_[A-Za-z0-9_]+-cert\.pub$/.test(n));
    }
    catch {
        return undefined;
    }
    let newest;
    for (const name of names) {
        const file = path.join(keyDir, name);
        const mtime = (await stat(file)).mtimeMs;
        if (!newest || mtime > newest.mtime)
            newest = { file, mtime };
    }
    return newest?.file;
}
async function ensureSshDir(dir, state) {
    try {
        await stat(dir);
    }
    catch {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        state.createdDirs.push(dir);
    }
}
async function tighten(file) {
    if (process.platform === 'win32')
        return;
    try {
        await chmod(file, 0o600);
    }
    catch {
        // the file may not exist for other key types
    }
}
/** OpenSSH config paths: forward slashes, quoted when they hold spaces. */
function sshPath(p) {
    const slashed = p.split(path.sep).join('/');
    return /\s/.test(slashed) ? `"${slashed}"` : slashed;
}
function lastLines(lines) {
    return (lines
        .map((line) => line.trim())
        .slice(-3)
        .join(' / ') || 'no output');
}

export { loadSshCert };
