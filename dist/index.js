import { r as run } from './chunks/startup.js';
import 'node:path';
import 'node:fs';
import 'node:os';
import 'node:fs/promises';

// Entry of the main step (action.yml runs.main). All logic lives in main.ts.
await run();
