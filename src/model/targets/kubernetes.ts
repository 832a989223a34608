/**
 * Kubernetes manifest targets: one per workload (Deployment, StatefulSet, DaemonSet, Job,
 * CronJob, Pod) whose containers run the Django app as written in the manifest. `command:`
 * replaces the image's ENTRYPOINT and `args:` its CMD; the image itself comes from a registry,
 * so a container without `command:`/`args:` naming Django or a server is not followed (nothing
 * is guessed). `initContainers` run before the app (migrate, collectstatic into a shared volume).
 * Helm/Kustomize templates with `{{ }}` are not manifests until rendered.
 */
import type { FileSelector } from '../../discover/repo.js';
import * as path from 'node:path';
import { literalWord } from '../../parse/argv.js';
import { YamlDoc } from '../../parse/yaml-doc.js';
import type { Node as YNode } from 'yaml';
import { literalArg, type Env } from '../args.js';
import { judge } from '../production.js';
import type { Project } from '../project.js';
import { ProcessBuilder } from '../resolve.js';
import type { ChainStep, Command, Location, Role, Target } from '../types.js';
import { roleFromProcess } from './roles.js';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet', 'DeploymentConfig']);
const APP_HINT = /manage\.py|django|gunicorn|uwsgi|uvicorn|daphne|hypercorn|granian|waitress|runserver|collectstatic/;

/**
 * YAML files that may be manifests, by where they live or how they are named (reading every YAML
 * file of a repository would spend the read budget on test cassettes and CI files).
 */
export function isKubernetesCandidate(file: string): boolean {
  const base = path.posix.basename(file);
  if (!/\.ya?ml$/.test(base) || /(^|\/)(templates|\.github|\.gitlab|tests?|fixtures|cassettes|node_modules)\//.test(file) || /^(docker-)?compose/.test(base)) return false;
  return (
    /(^|\/)(k8s|kube|kubernetes|manifests?|deploy|deployment|deployments|kustomize|overlays|base|openshift|argocd|gitops|infra|ops)\//i.test(file) ||
    /(^|[._-])(deployment|deploy|statefulset|daemonset|cronjob|job|pod|k8s|kube|workload|web|worker)s?[._-]?[\w-]*\.ya?ml$/i.test(base)
  );
}

export const KUBERNETES_MANIFESTS: FileSelector = { name: 'Kubernetes manifest', exts: ['yml', 'yaml'], test: isKubernetesCandidate };

export function kubernetesTargets(project: Project, file: string): Target[] {
  const text = project.repo.text(file);
  if (text === null || !/^\s*kind\s*:\s*["']?(Deployment|StatefulSet|DaemonSet|Job|CronJob|Pod|ReplicaSet|DeploymentConfig)\b/m.test(text) || !/^\s*apiVersion\s*:/m.test(text) || /\{\{/.test(text)) return [];
  const y = new YamlDoc(text, file, true);
  project.addParseIssues(file, y.issues);
  const out: Target[] = [];
  for (const doc of y.roots) {
    const docs = y.str(y.get(doc, 'kind')) === 'List' ? y.items(y.get(doc, 'items')) : [doc];
    for (const w of docs) {
      const kind = y.str(y.get(w, 'kind'));
      if (!kind || !WORKLOADS.has(kind)) continue;
      const name = y.str(y.get(y.get(w, 'metadata'), 'name')) ?? kind.toLowerCase();
      const spec = y.get(w, 'spec');
      const podSpec =
        kind === 'Pod' ? spec : kind === 'CronJob' ? y.get(y.get(y.get(y.get(spec, 'jobTemplate'), 'spec'), 'template'), 'spec') : y.get(y.get(spec, 'template'), 'spec');
      if (!podSpec) continue;
      const verdict = judge(file, { names: [{ what: `${kind}`, name }], platform: 'a Kubernetes workload manifest' });
      const target: Target = {
        id: `kubernetes:${file}#${kind}/${name}`,
        kind: 'kubernetes',
        file,
        line: y.loc(w).line,
        production: verdict.production,
        productionReason: verdict.reason,
        processes: [],
        collectstatic: null,
        facts: { cwd: null, env: {}, envLocs: {} },
      };
      const batch = kind === 'Job' || kind === 'CronJob';
      for (const [list, init] of [[y.get(podSpec, 'initContainers'), true], [y.get(podSpec, 'containers'), false]] as [YNode | null, boolean][]) {
        for (const c of y.items(list)) {
          const cmdNode = y.get(c, 'command');
          const argsNode = y.get(c, 'args');
          const words = [...stringWords(y, cmdNode), ...stringWords(y, argsNode)];
          if (words.length === 0 || !APP_HINT.test(words.map((w) => w.raw).join(' '))) continue;
          // Only `args:` (no `command:`): they go to the image's ENTRYPOINT, unknown here, unless
          // they start with a program.
          if (!cmdNode && words[0].raw.startsWith('-')) continue;
          const cname = y.str(y.get(c, 'name')) ?? 'container';
          const env: Env = {};
          const envLocs: Record<string, Location> = {};
          for (const e of y.items(y.get(c, 'env'))) {
            const n = y.str(y.get(e, 'name'));
            if (!n) continue;
            const v = y.get(e, 'value');
            env[n] = v ? y.str(v) : null;
            envLocs[n] = y.loc(v ?? e);
          }
          const loc = y.loc(cmdNode ?? argsNode);
          const role: Role = init || batch ? 'release' : 'web';
          const b = new ProcessBuilder(project, { toRepo: () => null, onPath: () => null }, cname, role, loc);
          const cmd: Command = { words, assignments: [], loc, text: words.map((w) => w.raw).join(' ') };
          const step: ChainStep = { file, line: loc.line, column: loc.column, text: cmd.text.slice(0, 200), reach: 'direct' };
          b.runArgs(words.map(literalArg), cmd, { env, cwd: y.str(y.get(c, 'workingDir')), positional: [], chain: [step], depth: 0, conditional: false, stack: [file] }, true);
          if (!init && !batch) b.process.role = roleFromProcess(b.process, y.items(y.get(c, 'ports')).length > 0);
          target.processes.push(b.process);
          if (!init) {
            for (const [k, v] of Object.entries(env)) if (v !== null) target.facts.env![k] = v;
            Object.assign(target.facts.envLocs!, envLocs);
          }
        }
      }
      if (target.processes.length > 0) out.push(target);
    }
  }
  return out;
}

/** A YAML list of strings (or one string) as words with their positions. */
function stringWords(y: YamlDoc, n: YNode | null) {
  const items = y.items(n).length > 0 ? y.items(n) : n && y.str(n) !== null ? [n] : [];
  const out = [];
  for (const it of items) {
    const t = y.shellText(it);
    if (!t) continue;
    out.push(literalWord(t.text, { file: t.loc.file, line: t.base.line, column: t.base.column, endLine: t.base.line, endColumn: t.base.column + t.text.split('\n')[0].length }));
  }
  return out;
}
