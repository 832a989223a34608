/**
 * No silent unknowns: on every fixture, each web process of a production target ends in a named
 * server or carries a DPL002 notice that says where following it stopped and why (or DPL102:
 * it ends in a known command that serves nothing).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lint } from '../src/suppress/engine.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, 'fixtures');
const cases = fs
  .readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !/^(deps|settings)-/.test(d.name))
  .map((d) => d.name)
  .sort();

test('every production web process of every fixture ends in a server or a DPL002 notice', async () => {
  const silent: string[] = [];
  let webProcesses = 0;
  for (const name of cases) {
    const r = await lint(path.join(dir, name));
    // DPL102 also names where it ends: a known command that is no server (`manage.py migrate`).
    const noted = new Set(r.findings.filter((f) => f.ruleId === 'DPL002' || f.ruleId === 'DPL102').map((f) => f.target));
    for (const t of r.targets) {
      if (!t.production) continue;
      for (const p of t.processes) {
        if (p.role !== 'web') continue;
        webProcesses++;
        if (p.servers.length === 0 && !noted.has(t.id)) silent.push(`${name}: ${t.id} process ${p.name}`);
      }
    }
  }
  expect(webProcesses).toBeGreaterThan(50);
  expect(silent).toEqual([]);
}, 180_000);
