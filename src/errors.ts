/** An error whose message is already written for the workflow's author. */
export class ActionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ActionError'
  }
}

/** A bad input: names the input, never echoes a secret value. */
export class InputError extends ActionError {
  constructor(message: string) {
    super(message)
    this.name = 'InputError'
  }
}

/** The message of anything thrown, including non-Error values. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}

/** Anything thrown, as an Error (so that it can be thrown again or given a cause). */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value))
}
