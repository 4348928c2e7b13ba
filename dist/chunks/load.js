import { w as warning, i as info } from './core.js';
import { w as which, g as getExecOutput } from './exec.js';
import { mkdtemp, readFile, stat, mkdir, chmod } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { c as cliVar } from './clis.js';
import { A as ActionError } from './errors.js';
import { s as saveState, S as State } from './state.js';
import { e as echoUntrusted } from './text.js';
import { b as backupConfig, a as appendBlock } from './config.js';
import 'os';
import 'crypto';
import 'fs';
import 'path';
import 'string_decoder';
import 'events';
import 'child_process';
import 'assert';
import 'timers';
import './childEnv.js';
import 'node:crypto';

/**
 * Reads `valid before` from an OpenSSH certificate (PROTOCOL.certkeys) and
 * returns it as ISO 8601; `forever` for an unbounded certificate.
 */
function certificateExpiry(certLine) {
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
    if (validBefore === 0xffffffffffffffffn)
        return 'forever';
    return new Date(Number(validBefore) * 1000).toISOString().replace('.000Z', 'Z');
}

const INCLUDE_BLOCK = 'setup-upsun-cli include of the CLI SSH configuration';
/**
 * Runs `<cli> ssh-cert:load --no-interaction` (token in its environment,
 * never on its command line), so that later git/ssh/rsync/scp steps reach the
 * platform. Everything post must undo is saved in state before it is done.
 */
async function loadSshCert(options) {
    const { cli, home, sshHome } = options;
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
            'If the organization enforces multi-factor authentication for SSH, certificates of API tokens are refused: ' +
            "use a machine user in an organization or project without that requirement. Check also that the token's user has SSH access to the project.");
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
    const certPath = path.join(keyDir, 'id_ed25519-cert.pub');
    let certText;
    try {
        certText = await readFile(certPath, 'utf8');
    }
    catch {
        throw new ActionError(`${cli.binary} ssh-cert:load reported success, but wrote no certificate at ${certPath}.`);
    }
    for (const file of [certPath, path.join(keyDir, 'id_ed25519')])
        await tighten(file);
    const expiresAt = certificateExpiry(certText);
    info(`SSH certificate ${certPath} expires at ${expiresAt}; later ssh and git runs refresh it through the CLI.`);
    return { path: certPath, expiresAt };
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
