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

export { ActionError as A, InputError as I, asError as a, errorMessage as e };
