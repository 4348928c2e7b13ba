import { i as info, w as warning } from './chunks/core.js';
import { rmdir, rm } from 'node:fs/promises';
import { c as closeCliSession } from './chunks/cliFiles.js';
import { e as errorMessage } from './chunks/errors.js';
import { r as restoreConfig } from './chunks/config.js';
import { r as readState, S as State } from './chunks/state.js';
import 'os';
import 'crypto';
import 'fs';
import 'path';
import 'node:crypto';
import 'node:os';
import 'node:path';
import './chunks/clis.js';
import './chunks/childEnv.js';

/**
 * The post step: removes every credential the action caused. It reads only
 * what main saved in state (never inputs: a nested composite action's post
 * step can get the wrong ones), runs even when main failed half way, and its
 * own failures are warnings. The tool cache stays.
 */
async function runPost() {
    if (readState(State.Cleanup) === false) {
        info('cleanup is false: leaving the CLI session, SSH key and certificate in place.');
        return;
    }
    const session = readState(State.CliSession);
    const ssh = readState(State.Ssh);
    if (!session && !ssh) {
        info('Nothing to clean up: the action created no credentials.');
        return;
    }
    if (session) {
        await attempt(`removing the CLI session ${session.sessionId}`, async () => {
            const done = await closeCliSession(session, { certificateLoaded: Boolean(ssh) });
            for (const line of done)
                info(line);
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
