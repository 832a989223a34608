/** The action's entry point (bundled to dist/index.js): runs the action. */
import { run } from './main.js';

await run();
