/**
 * Resources to release before the step ends (pooled HTTP connections), so
 * that Node exits as soon as the work is done. Modules loaded on demand
 * register here; main.ts runs them without having to import those modules.
 */
const hooks = [];
function onShutdown(hook) {
    hooks.push(hook);
}
async function shutdown() {
    await Promise.allSettled(hooks.splice(0).map((hook) => hook()));
}

export { onShutdown as o, shutdown as s };
