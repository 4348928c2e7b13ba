// Entry of the post step (action.yml runs.post). All logic lives in post.ts.
import { runPost } from './post.js'

await runPost()
