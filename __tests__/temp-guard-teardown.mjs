export { teardown as default } from './temp-guard.mjs';
