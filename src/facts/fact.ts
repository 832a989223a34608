/**
 * How facts are memoised (docs/architecture.md, "Layers": facts): each fact has one typed key,
 * declared once beside the code that computes it; its value is computed on the first read for a
 * project (and, for a fact per file or per target, per `arg`) and kept for the run. One store,
 * keyed by the project, so nothing outlives it.
 */
import type { Project } from '../model/project.js';

/** The key of a fact whose value has type `T`; `name` is for reading only (keys compare by identity). */
export class FactKey<T> {
  declare private readonly _type: T;
  constructor(readonly name: string) {}
}

const store = new WeakMap<Project, Map<FactKey<unknown>, Map<string, unknown>>>();

/** The fact `key` of `project` (for `arg`), computed by `make` on the first read. */
export function fact<T>(project: Project, key: FactKey<T>, make: () => T, arg = ''): T {
  let facts = store.get(project);
  if (!facts) store.set(project, (facts = new Map()));
  let values = facts.get(key);
  if (!values) facts.set(key, (values = new Map()));
  if (values.has(arg)) return values.get(arg) as T;
  const value = make();
  values.set(arg, value);
  return value;
}
