// Entry of the post step (action.yml runs.post). All logic lives in post.ts.
import { runPost } from './post.js'

// Not awaited: the bundle is CommonJS (see rollup.config.mjs), and runPost()
// turns its own failures into warnings.
void runPost()
