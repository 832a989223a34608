/**
 * conda environment files (`environment.yml`): `dependencies:` lists conda packages
 * (`gunicorn=22.0`, `conda-forge::uwsgi`) and may hold a `pip:` list of requirements lines
 * (`-r requirements.txt` relative to the environment file). Parsed with `yaml`; positions
 * come from its LineCounter.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node as YNode } from 'yaml';
import type { Location } from '../core/location.js';
import { parseYamlBounded, YamlDeadline } from '../parse/yaml-bounded.js';
import { type Label, MAIN, ReadCtx, mk } from './context.js';
import { devFileLabel, normalizeName } from './packages.js';
import { type ProjectDirReader, requirementLine } from './requirements.js';
import type { Declared } from './types.js';

/** Conda packages that are the environment itself, not something it serves with. */
const NOT_PACKAGES = new Set(['python', 'pip']);

/** `conda-forge::gunicorn>=20` → `gunicorn`; null for something that is not a package spec. */
export function condaName(spec: string): string | null {
  const s = spec.trim().replace(/^[^\s:]+::/, '');
  const m = /^([A-Za-z0-9_][A-Za-z0-9._-]*)/.exec(s);
  return m ? normalizeName(m[1]) : null;
}

export function readCondaEnv(ctx: ReadCtx, file: string, via: string[], readProjectDir: ProjectDirReader): Declared[] {
  const text = ctx.repo.text(file);
  if (text === null) return [];
  ctx.addFile(file);
  const lc = new LineCounter();
  let doc;
  try {
    doc = parseYamlBounded(text, { lineCounter: lc, prettyErrors: false }, true)[0] ?? parseDocument('');
  } catch (e) {
    if (e instanceof YamlDeadline) return [];
    throw e;
  }
  const locOf = (n: YNode | null | undefined): Location => {
    const r = n?.range ?? [0, 0];
    const a = lc.linePos(r[0]);
    const b = lc.linePos(r[1]);
    return { file, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const a = lc.linePos(e.pos[0]);
    const loc = { file, line: a.line, column: a.col, endLine: a.line, endColumn: a.col + 1 };
    ctx.issue(file, `${file} is not valid YAML: ${e.message.split('\n')[0]}`, loc);
    ctx.unresolvedAt(`${file} could not be parsed, so its dependencies are unknown`, loc);
    return [];
  }
  const own = devFileLabel(file);
  const lab: Label = own ? { group: own, dev: true, kind: 'group' } : MAIN;
  const out: Declared[] = [];
  const root = doc.contents;
  const deps = isMap(root) ? root.get('dependencies', true) : null;
  if (!isSeq(deps)) return out;
  for (const item of deps.items) {
    if (isScalar(item) && typeof item.value === 'string') {
      const name = condaName(item.value);
      if (name && !NOT_PACKAGES.has(name)) out.push(mk(name, item.value, locOf(item), lab, via));
      continue;
    }
    if (!isMap(item)) continue;
    const pip = item.get('pip', true);
    if (!isSeq(pip)) continue;
    for (const p of pip.items) {
      if (!isScalar(p) || typeof p.value !== 'string') continue;
      const loc = locOf(p);
      out.push(...requirementLine(ctx, file, { text: p.value.trim(), line: loc.line, column: loc.column }, lab, via, readProjectDir));
    }
  }
  return out;
}
