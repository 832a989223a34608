/**
 * The repository's nginx, Caddy and Apache configurations, each read, parsed and turned into
 * facts once per run: DPL204 (static files served outside Django, asked once per static URL)
 * and DPL301 (proxy upstreams) both look at them.
 */
import { APACHE_CANDIDATES, apacheFacts, isApacheConfigPath, looksLikeApache, parseApache } from '../parse/apache.js';
import { CADDYFILES, caddyFacts, parseCaddyfile } from '../parse/caddy.js';
import {
  isNginxConfigPath,
  looksLikeNginx,
  MAX_SNIFFED,
  NGINX_CANDIDATES,
  nginxFacts,
  parseNginx,
  type NginxDirective,
  type WebServerFacts,
} from '../parse/nginx.js';
import type { FileSelector, Repo } from '../discover/repo.js';
import type { Project } from '../model/project.js';
import type { ParseIssue } from '../core/issue.js';

export type ParsedWebConfig =
  | { file: string; text: string; directives: NginxDirective[]; issues: ParseIssue[]; facts: WebServerFacts; error?: undefined }
  /** The reader failed on it (a bug, not the file's fault): left out, or "may serve it". */
  | { file: string; text: string; error: true };

/**
 * Files of one server's configurations: by path, else by content for `*.conf`-like files (at
 * most MAX_SNIFFED of those are read to sniff).
 */
function findConfigs(repo: Repo, candidates: FileSelector, byPath: (f: string) => boolean, looksLike: (text: string) => boolean): string[] {
  let sniffed = 0;
  return repo.select(candidates).filter((f) => {
    if (byPath(f)) return true;
    if (sniffed >= MAX_SNIFFED) return false;
    sniffed++;
    const text = repo.text(f);
    return text !== null && looksLike(text);
  });
}

/** The repository's nginx configurations: by path, else by content. */
export function findNginxConfigs(repo: Repo): string[] {
  return findConfigs(repo, NGINX_CANDIDATES, isNginxConfigPath, looksLikeNginx);
}

/** The repository's Apache configurations: by path, else by content. */
export function findApacheConfigs(repo: Repo): string[] {
  return findConfigs(repo, APACHE_CANDIDATES, isApacheConfigPath, looksLikeApache);
}

/** Every readable web server configuration, nginx first, then Caddy, then Apache; each parsed once. */
export function parsedWebConfigs(project: Project): ParsedWebConfig[] {
  return project.cached('parsed-web-configs', () => {
    const repo = project.repo;
    const out: ParsedWebConfig[] = [];
    const add = (files: readonly string[], read: (text: string, f: string) => { directives: NginxDirective[]; issues: ParseIssue[] }, facts: (ds: NginxDirective[], f: string) => WebServerFacts): void => {
      for (const file of files) {
        const text = repo.text(file);
        if (text === null) continue;
        try {
          const p = read(text, file);
          out.push({ file, text, directives: p.directives, issues: p.issues, facts: facts(p.directives, file) });
        } catch {
          out.push({ file, text, error: true });
        }
      }
    };
    add(findNginxConfigs(repo), parseNginx, nginxFacts);
    add(repo.select(CADDYFILES), parseCaddyfile, caddyFacts);
    add(findApacheConfigs(repo), parseApache, apacheFacts);
    return out;
  });
}
