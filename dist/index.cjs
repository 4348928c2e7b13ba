'use strict';

const startup = require('./chunks/startup.cjs');
require('node:path');
require('node:fs');
require('node:os');

// Entry of the main step (action.yml runs.main). All logic lives in main.ts.
// Not awaited: the bundle is CommonJS (see rollup.config.mjs), and run()
// reports its own failures (setFailed), so nothing is left to reject.
void startup.run();
