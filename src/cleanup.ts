// Entry of the post step (action.yml runs.post). All logic lives in post.ts.
import { runPost } from './post.js'
import { warning } from '@actions/core'
import { runStep } from './shutdown.js'

// Post's failures are warnings (see post.ts), an unfinished post included.
runStep(runPost, () =>
  warning(
    'Cleanup stopped before it finished: Node had nothing left to wait for, so some credentials may remain on this runner. This is a bug; please report it with this log.'
  )
)
