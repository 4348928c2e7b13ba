import { stat, readdir, rm, rmdir } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { c as cliVar } from './clis.js';

/*
 * The CLI keeps sessions (access tokens), SSH keys and certificates under its
 * user directory (`~/.upsun-cli`, `~/.platformsh`). Main notes what is there
 * before the token is handed out; post removes what appeared since: the
 * files the token caused, whether this step or a later one ran the CLI.
 */
/** The CLI's home and the home OpenSSH uses, from this process's environment. */
function homes(cli) {
    const home = process.env[cliVar(cli, 'HOME')] || os.homedir();
    let sshHome = home;
    try {
        sshHome = os.userInfo().homedir || home;
    }
    catch {
        // no passwd entry (arbitrary uid in a container): ssh falls back to HOME
    }
    return { home, sshHome };
}
/** Where the CLI writes credentials and their SSH wiring. */
const CREDENTIAL_DIRS = ['.session', 'ssh'];
async function snapshotCliFiles(userDir) {
    const existed = await isDir(userDir);
    return { userDir, existed, before: existed ? await credentialPaths(userDir) : [] };
}
/**
 * Removes what appeared since the snapshot. A user directory the CLI created
 * for this job goes entirely (cache and locks with it); in one that was there
 * before, only new session and SSH entries go. Returns what was removed.
 */
async function removeNewCliFiles(snapshot) {
    if (!snapshot.existed) {
        if (!(await isDir(snapshot.userDir)))
            return [];
        await rm(snapshot.userDir, { recursive: true, force: true });
        return [snapshot.userDir];
    }
    const before = new Set(snapshot.before);
    const added = (await credentialPaths(snapshot.userDir)).filter((p) => !before.has(p));
    // Deepest first, so that directories are empty when their turn comes.
    added.sort((a, b) => b.split('/').length - a.split('/').length);
    const removed = [];
    for (const rel of added) {
        const full = path.join(snapshot.userDir, ...rel.split('/'));
        if (await isDir(full))
            await rmdir(full).catch(() => undefined);
        else
            await rm(full, { force: true });
        removed.push(full);
    }
    return removed;
}
async function credentialPaths(userDir) {
    const paths = [];
    for (const dir of CREDENTIAL_DIRS) {
        const root = path.join(userDir, dir);
        if (!(await isDir(root)))
            continue;
        paths.push(dir);
        for (const rel of await readdir(root, { recursive: true })) {
            paths.push(`${dir}/${rel.split(path.sep).join('/')}`);
        }
    }
    return paths;
}
async function isDir(p) {
    try {
        return (await stat(p)).isDirectory();
    }
    catch {
        return false;
    }
}

export { homes as h, removeNewCliFiles as r, snapshotCliFiles as s };
