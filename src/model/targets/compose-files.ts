/**
 * Compose files: which files are compose files, their parsed form (once per run), the base file
 * an override file is used with, and the Dockerfile a service builds. Shared by the compose
 * targets and by the image sources (src/model/targets/image-source.ts).
 */
import type { FileSelector } from '../../discover/repo.js';
import * as path from 'node:path';
import { parseCompose, type ComposeService } from '../../parse/compose.js';
import type { Project } from '../project.js';
import { normPath } from '../../core/paths.js';

/**
 * Deployment files shipped to be copied before use (`docker-compose.yml.example`,
 * `docker-compose-production.example`, `.sample`, `.dist`): the name they are copied to, or null.
 */
export function copiedName(file: string): string | null {
  const m = /^(.+)\.(example|sample|dist)$/.exec(file);
  return m ? m[1] : null;
}

export function isComposeFile(file: string): boolean {
  const copied = copiedName(file);
  if (copied) return isComposeFile(copied) || /^(docker-)?compose([._-][A-Za-z0-9_.-]+)?$/.test(path.posix.basename(copied));
  const base = path.posix.basename(file);
  return /^(docker-)?compose([._-][A-Za-z0-9_.-]+)?\.ya?ml$/.test(base) || (/\.ya?ml$/.test(base) && /(^|\/)compose\//.test(file)) ||
    /^(local|production|prod|staging|dev|development|test)\.ya?ml$/.test(base);
}

export const COMPOSE_FILES: FileSelector = {
  name: 'compose file',
  prefixes: ['docker-compose', 'compose', 'local.', 'production.', 'prod.', 'staging.', 'dev.', 'development.', 'test.'],
  dir: (d) => /(^|\/)compose(\/|$)/.test(d),
  test: isComposeFile,
};

export function parsedCompose(project: Project, file: string) {
  return project.cached(`compose:${file}`, () => {
    const text = project.repo.text(file);
    if (text === null) return null;
    const r = parseCompose(text, file);
    if (r.isCompose || r.issues.length > 0) project.addParseIssues(file, r.issues);
    return r;
  });
}

/** The Dockerfile a service builds (repo path), and its context. */
export function serviceDockerfile(project: Project, file: string, s: ComposeService): { dockerfile: string; context: string } | null {
  if (!s.build) return null;
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  const context = normPath(path.posix.join(dir, s.build.context || '.'));
  if (context.startsWith('..') || /^[a-z]+:\/\//.test(s.build.context)) return null;
  const dockerfile = normPath(path.posix.join(context, s.build.dockerfile ?? 'Dockerfile'));
  if (!project.repo.has(dockerfile)) return null;
  return { dockerfile, context };
}

const BASE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** The base file an override file (`docker-compose.prod.yml`, `compose.override.yaml`) is used with. */
export function overriddenFile(project: Project, file: string): string | null {
  const base = path.posix.basename(file);
  if (BASE_NAMES.includes(base) || !/^(docker-)?compose[._-].+\.ya?ml$/.test(base)) return null;
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  for (const b of BASE_NAMES) {
    const cand = dir ? `${dir}/${b}` : b;
    if (project.repo.has(cand)) return cand;
  }
  return null;
}

