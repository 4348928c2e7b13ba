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
