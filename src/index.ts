// Entry of the main step (action.yml runs.main). All logic lives in main.ts.
import { run } from './main.js'

await run()
