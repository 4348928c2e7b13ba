'use strict';

Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });

const exec = require('./exec.cjs');
const require$$0 = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const startup = require('./startup.cjs');

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

/** The platform's certifier adds this extension only when MFA was verified. */
const MFA_EXTENSION = 'has-mfa@platform.sh';
/** How many key fields each certificate type carries before its serial (PROTOCOL.certkeys). */
const KEY_FIELDS = {
    'ssh-rsa-cert-v01@openssh.com': 2, // e, n
    'ssh-dss-cert-v01@openssh.com': 4, // p, q, g, y
    'ecdsa-sha2-nistp256-cert-v01@openssh.com': 2, // curve, public key
    'ecdsa-sha2-nistp384-cert-v01@openssh.com': 2,
    'ecdsa-sha2-nistp521-cert-v01@openssh.com': 2,
    'ssh-ed25519-cert-v01@openssh.com': 1, // public key
    'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com': 3, // curve, public key, application
    'sk-ssh-ed25519-cert-v01@openssh.com': 2 // public key, application
};
/** Reads the expiry and the extension names of an OpenSSH certificate. */
function readCertificate(certLine) {
    const [type, b64] = certLine.trim().split(/\s+/);
    const blob = Buffer.from(b64 ?? '', 'base64');
    let offset = 0;
    const u32 = () => {
        if (offset + 4 > blob.length)
            throw new startup.ActionError('The SSH certificate is truncated.');
        const v = blob.readUInt32BE(offset);
        offset += 4;
        return v;
    };
    const str = () => {
        const len = u32();
        if (offset + len > blob.length)
            throw new startup.ActionError('The SSH certificate is truncated.');
        const v = blob.subarray(offset, offset + len);
        offset += len;
        return v;
    };
    const u64 = () => {
        if (offset + 8 > blob.length)
            throw new startup.ActionError('The SSH certificate is truncated.');
        const v = blob.readBigUInt64BE(offset);
        offset += 8;
        return v;
    };
    const inner = str().toString('latin1');
    if (!inner.endsWith('-cert-v01@openssh.com') || inner !== type) {
        throw new startup.ActionError(`Not an OpenSSH certificate: ${JSON.stringify(type?.slice(0, 60))}.`);
    }
    str(); // nonce
    const fields = KEY_FIELDS[inner];
    if (fields === undefined)
        throw new startup.ActionError(`Unknown SSH certificate type: ${JSON.stringify(inner.slice(0, 60))}.`);
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
        await require$$0.copyFile(file, backup);
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
        current = await require$$0.readFile(file, 'utf8');
    }
    catch {
        // a new file
    }
    const separator = current === '' ? '' : current.endsWith('\n') ? '\n' : '\n\n';
    await require$$0.writeFile(file, `${current}${separator}# BEGIN: ${name}\n${body}# END: ${name}\n`, {
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
    startup.checkSshCertVersion(cli, options.version);
    if (cli.sshCaveat)
        startup.warning(cli.sshCaveat);
    if (!(await exec.which('ssh-keygen', false))) {
        throw new startup.ActionError('ssh-cert: true needs OpenSSH (ssh and ssh-keygen) on the runner; install it in an earlier step.');
    }
    const state = {
        configs: [],
        createdDirs: [],
        backupDir: await require$$0.mkdtemp(path__namespace.join(process.env.RUNNER_TEMP || os__namespace.tmpdir(), 'setup-upsun-cli-ssh-'))
    };
    const save = () => startup.saveState(startup.State.Ssh, state);
    const sshDir = path__namespace.join(home, '.ssh');
    await ensureSshDir(sshDir, state);
    state.configs.push(await backupConfig(path__namespace.join(sshDir, 'config'), path__namespace.join(state.backupDir, 'config')));
    save();
    const result = await exec.getExecOutput(options.binaryPath, ['ssh-cert:load', '--no-interaction'], {
        env: options.env,
        silent: true,
        ignoreReturnCode: true
    });
    // The CLI's output holds what servers said: echoed with commands stopped.
    const lines = startup.echoUntrusted(`${result.stdout}\n${result.stderr}`);
    if (result.exitCode !== 0) {
        throw new startup.ActionError(`${cli.binary} ssh-cert:load failed (exit code ${result.exitCode}): ${lastLines(lines)}. ` +
            "Check that the token is valid and that its user may get SSH certificates; the CLI's message above says more.");
    }
    if (path__namespace.resolve(sshHome) !== path__namespace.resolve(home)) {
        // Container jobs: HOME (/github/home) is not the passwd home OpenSSH reads.
        // Include the config the CLI wrote from the one ssh will read.
        const passwdSshDir = path__namespace.join(sshHome, '.ssh');
        await ensureSshDir(passwdSshDir, state);
        const config = path__namespace.join(passwdSshDir, 'config');
        state.configs.push(await backupConfig(config, path__namespace.join(state.backupDir, 'config.passwd-home')));
        save();
        await appendBlock(config, INCLUDE_BLOCK, `Match all\nInclude ${sshPath(path__namespace.join(sshDir, 'config'))}\n`);
        startup.info(`HOME (${home}) is not the home OpenSSH reads (${sshHome}); ${config} now includes ${path__namespace.join(sshDir, 'config')}.`);
    }
    const sessionId = options.env[startup.cliVar(cli, 'SESSION_ID')] || 'default';
    const keyDir = path__namespace.join(home, cli.userDir, '.session', `sess-cli-${sessionId}`, 'ssh');
    startup.debug(`Looking for the certificate ssh-cert:load wrote in ${keyDir}`);
    const certPath = await findCertificate(keyDir);
    if (!certPath) {
        throw new startup.ActionError(`${cli.binary} ssh-cert:load reported success, but wrote no certificate (id_*-cert.pub) in ${keyDir}.`);
    }
    const keyPath = certPath.slice(0, -'-cert.pub'.length);
    for (const file of [certPath, keyPath])
        await tighten(file);
    const { expiresAt, extensions } = readCertificate(await require$$0.readFile(certPath, 'utf8'));
    startup.info(`SSH certificate ${certPath} expires at ${expiresAt}; later ssh and git runs refresh it through the CLI.`);
    if (!extensions.includes(MFA_EXTENSION)) {
        startup.info(`The certificate has no ${MFA_EXTENSION} extension: it is not MFA-verified (certificates from an API token never are). ` +
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
        names = (await require$$0.readdir(keyDir)).filter((n) => /^id_[A-Za-z0-9_]+-cert\.pub$/.test(n));
    }
    catch {
        return undefined;
    }
    let newest;
    for (const name of names) {
        const file = path__namespace.join(keyDir, name);
        const mtime = (await require$$0.stat(file)).mtimeMs;
        if (!newest || mtime > newest.mtime)
            newest = { file, mtime };
    }
    return newest?.file;
}
async function ensureSshDir(dir, state) {
    try {
        await require$$0.stat(dir);
    }
    catch {
        await require$$0.mkdir(dir, { recursive: true, mode: 0o700 });
        state.createdDirs.push(dir);
    }
}
async function tighten(file) {
    if (process.platform === 'win32')
        return;
    try {
        await require$$0.chmod(file, 0o600);
    }
    catch {
        // the file may not exist for other key types
    }
}
/** OpenSSH config paths: forward slashes, quoted when they hold spaces. */
function sshPath(p) {
    const slashed = p.split(path__namespace.sep).join('/');
    return /\s/.test(slashed) ? `"${slashed}"` : slashed;
}
function lastLines(lines) {
    return (lines
        .map((line) => line.trim())
        .slice(-3)
        .join(' / ') || 'no output');
}

exports.loadSshCert = loadSshCert;
