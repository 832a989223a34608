import { finalKind, isWorker } from '../servers.js';
import type { Process, Role } from '../types.js';

/** The role of a container or unit process, from what it ends in. */
export function roleFromProcess(p: Process, exposesPort: boolean): Role {
  if (p.servers.length > 0) return 'web';
  const finalArgs = p.finals.map((f) => f.args);
  if (finalArgs.length > 0 && finalArgs.every((a) => isWorker(a))) return 'worker';
  // A proxy container (nginx, caddy) is not the Django process.
  if (finalArgs.length > 0 && finalArgs.every((a) => finalKind(a) === 'proxy')) return 'other';
  return exposesPort ? 'web' : 'other';
}
