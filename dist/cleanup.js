import { g as getState, i as info, w as warning, e as errorMessage } from './chunks/errors.js';
import 'os';
import 'crypto';
import 'fs';
import 'path';

/**
 * The post step. It reads only what the main step saved in state (never
 * inputs: a nested composite action's post step can get the wrong ones) and
 * its own failures are warnings, so it never fails a job that succeeded.
 */
function runPost() {
    try {
        if (getState('cleanup') === 'false') {
            info('cleanup is false: leaving credentials in place.');
            return Promise.resolve();
        }
        info('Nothing to clean up.');
    }
    catch (error) {
        warning(`Cleanup did not finish: ${errorMessage(error)}`);
    }
    return Promise.resolve();
}

// Entry of the post step (action.yml runs.post). All logic lives in post.ts.
await runPost();
