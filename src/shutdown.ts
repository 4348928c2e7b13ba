/**
 * Resources to release before the step ends (pooled HTTP connections), so
 * that Node exits as soon as the work is done. Modules loaded on demand
 * register here; main.ts runs them without having to import those modules.
 */
const hooks: Array<() => Promise<void>> = []

export function onShutdown(hook: () => Promise<void>): void {
  hooks.push(hook)
}

export async function shutdown(): Promise<void> {
  await Promise.allSettled(hooks.splice(0).map((hook) => hook()))
}

/**
 * Runs a step's work from its entry. The bundle is CommonJS, which has no
 * top-level await; were Node ever to run out of things to wait for while
 * `work` is still pending, the process would exit 0 and the step pass with
 * nothing done (an ES module's top-level await exited 13 instead). `unfinished`
 * is called on exit in that case, to say so and set the exit code.
 */
export function runStep(work: () => Promise<void>, unfinished: () => void): void {
  let finished = false
  process.on('exit', () => {
    if (!finished) unfinished()
  })
  void work().finally(() => (finished = true))
}
