/** Rules, their docs pages and the fixtures stay in step (one page per rule, every rule exercised). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULE_LIST } from '../src/rules/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HEADINGS = ['## What it does', '## Why is this bad?', '## Example', '## Use instead', '## Configuration', '## References'];

test('rule ids are unique, well-formed and sorted', () => {
  const ids = RULE_LIST.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const r of RULE_LIST) {
    expect(r.id).toMatch(/^DPL\d{3}$/);
    expect(r.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(r.summary.length).toBeGreaterThan(10);
  }
  expect([...ids].sort()).toEqual(ids);
});

test.each(RULE_LIST.map((r) => [r.id, r.name]))('%s %s has a docs page with the fixed headings', (id, name) => {
  const file = path.join(root, 'docs', 'rules', `${id}.md`);
  expect(fs.existsSync(file)).toBe(true);
  const text = fs.readFileSync(file, 'utf8');
  expect(text.split('\n')[0]).toBe(`# ${id}: ${name}`);
  let at = -1;
  for (const h of HEADINGS) {
    const i = text.indexOf(`\n${h}\n`);
    expect(i).toBeGreaterThan(at);
    at = i;
  }
});

test('every docs page belongs to a rule', () => {
  const pages = fs.readdirSync(path.join(root, 'docs', 'rules')).filter((f) => /^DPL\d{3}\.md$/.test(f));
  const ids = new Set(RULE_LIST.map((r) => r.id));
  expect(pages.filter((p) => !ids.has(p.replace('.md', '')))).toEqual([]);
});

test('every rule is exercised by at least one fixture', () => {
  const dir = path.join(root, '__tests__', 'fixtures');
  const expected = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.expected'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
  const missing = RULE_LIST.map((r) => r.id).filter((id) => !new RegExp(`: ${id} `).test(expected));
  expect(missing).toEqual([]);
});
