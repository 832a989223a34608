/**
 * Repo-wide facts shared by the model and the rules: parse issues (DPL001), what marks the
 * repository as a Django project, and caches of parsed files so each file is parsed once.
 */
import { EMPTY_CONFIG, type Config } from '../config.js';
import type { Repo } from '../discover/repo.js';
import type { ParseIssue } from '../core/issue.js';

export class Project {
  readonly repo: Repo;
  /** Files that could not be parsed (DPL001), keyed by file so each is reported once. */
  readonly parseIssues = new Map<string, ParseIssue[]>();
  private readonly issueKeys = new Map<string, Set<string>>();
  /** Parsed files by `<format>:<path>`; each file is parsed once per run. */
  private readonly cache = new Map<string, unknown>();

  readonly config: Config;

  constructor(repo: Repo, config: Config = EMPTY_CONFIG) {
    this.repo = repo;
    this.config = config;
  }

  addParseIssues(file: string, issues: ParseIssue[]): void {
    if (issues.length === 0) return;
    const list = this.parseIssues.get(file) ?? [];
    // Keyed, so that thousands of issues in one file cost linear time, not quadratic.
    let seen = this.issueKeys.get(file);
    if (!seen) this.issueKeys.set(file, (seen = new Set(list.map(issueKey))));
    for (const i of issues) {
      const k = issueKey(i);
      if (!seen.has(k)) {
        seen.add(k);
        list.push(i);
      }
    }
    this.parseIssues.set(file, list);
  }

  /** Memoise `make()` under `key` (e.g. `dockerfile:docker/Dockerfile`). */
  cached<T>(key: string, make: () => T): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const v = make();
    this.cache.set(key, v);
    return v;
  }
}

const issueKey = (i: ParseIssue): string => `${i.loc.line}:${i.loc.column}:${i.message}`;
