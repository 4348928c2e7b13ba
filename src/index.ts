// Entry of the main step (action.yml runs.main). All logic lives in main.ts.
import { run } from './main.js'
import { setFailed } from '@actions/core'
import { runStep } from './shutdown.js'

runStep(run, () =>
  setFailed(
    'setup-upsun-cli stopped before it finished: Node had nothing left to wait for. This is a bug; please report it with this log.'
  )
)
