import { g as getState, i as info, w as warning } from './chunks/core.js';
import { rmdir, rm } from 'node:fs/promises';
import { r as removeNewCliFiles } from './chunks/cliFiles.js';
import { e as errorMessage } from './chunks/errors.js';
import { S as SSH_STATE, r as restoreConfig } from './chunks/ssh.js';
import 'os';
import 'crypto';
import 'fs';
import 'path';
import 'node:os';
import 'node:path';
import './chunks/exec.js';
import 'string_decoder';
import 'events';
import 'child_process';
import 'assert';
import 'timers';

/**
 * The post step: removes every credential the action caused. It reads only
 * what main saved in state (never inputs: a nested composite action's post
 * step can get the wrong ones), runs even when main failed half way, and its
 * own failures are warnings. The tool cache stays.
 */
async function runPost() {
    if (getState('cleanup') === 'false') {
        info('cleanup is false: leaving the CLI session, SSH key and certificate in place.');
        return;
    }
    const cliFiles = readState('cli-files');
    const ssh = readState(SSH_STATE);
    if (!cliFiles && !ssh) {
        info('Nothing to clean up: the action created no credentials.');
        return;
    }
    if (cliFiles) {
        await attempt('removing the CLI session and SSH files', async () => {
            for (const removed of await removeNewCliFiles(cliFiles))
                info(`Removed ${removed}`);
        });
    }
    if (ssh) {
        for (const record of ssh.configs) {
            await attempt(`restoring ${record.file}`, async () => {
                const outcome = await restoreConfig(record);
                if (outcome !== 'untouched')
                    info(`${record.file}: ${outcome}`);
            });
        }
        for (const dir of [...ssh.createdDirs].reverse()) {
            // Only if empty: anything another step put there stays.
            await attempt(`removing ${dir}`, () => rmdir(dir).catch(ignoreNotEmpty));
        }
        await attempt('removing the backup copies', () => rm(ssh.backupDir, { recursive: true, force: true }));
    }
}
function readState(name) {
    const raw = getState(name);
    if (!raw)
        return undefined;
    try {
        return JSON.parse(raw);
    }
    catch {
        warning(`Saved state ${name} is unreadable; that part of cleanup was skipped.`);
        return undefined;
    }
}
async function attempt(what, work) {
    try {
        await work();
    }
    catch (error) {
        warning(`Cleanup: ${what} failed: ${errorMessage(error)}`);
    }
}
function ignoreNotEmpty(error) {
    const code = error.code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT')
        throw error;
}

// Entry of the post step (action.yml runs.post). All logic lives in post.ts.
await runPost();
