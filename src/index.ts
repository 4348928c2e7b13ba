// Entry of the main step (action.yml runs.main). All logic lives in main.ts.
import { run } from './main.js'

// Not awaited: the bundle is CommonJS (see rollup.config.mjs), and run()
// reports its own failures (setFailed), so nothing is left to reject.
void run()
