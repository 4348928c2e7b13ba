import { d as getState, w as warning, f as saveState$1 } from './core.js';

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
})(State || (State = {}));
function saveState(key, value) {
    saveState$1(key, JSON.stringify(value));
}
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

export { State as S, readState as r, saveState as s };
