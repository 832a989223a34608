/** The action's entry point (bundled to dist/index.js): runs the action. */
import './adapters/runtime.js';
import { run } from './main.js';

await run();
