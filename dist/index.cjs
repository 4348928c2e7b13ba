'use strict';

const startup = require('./chunks/startup.cjs');

// Entry of the main step (action.yml runs.main). All logic lives in main.ts.
startup.runStep(startup.run, () => startup.setFailed('setup-upsun-cli stopped before it finished: Node had nothing left to wait for. This is a bug; please report it with this log.'));
