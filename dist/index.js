// The entry of the action (action.yml: main): turns on Node's compile cache (Node >= 22.1), then runs ./action-main.js.
// Written by scripts/build.mjs (see entryStub there). NODE_DISABLE_COMPILE_CACHE=1 turns the cache off.
import module from 'node:module';

// Not on GitHub-hosted runners: every job starts on a fresh machine, where the cache would be written, never read.
if (process.env.RUNNER_ENVIRONMENT !== 'github-hosted') {
  try {
    module.enableCompileCache?.();
  } catch {
    // No cache: the run goes on as without one.
  }
}
await import('./action-main.js');
