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
import { literalArg, type Arg, type Env } from '../args.js';
import { judge } from '../production.js';
import type { Project } from '../project.js';
import { ProcessBuilder } from '../resolve.js';
import type { ChainStep, Process, Role, Target } from '../types.js';
import type { Command } from '../../core/words.js';
import type { Location } from '../../core/location.js';
import { containerArgs, imageModel, imageStart, isServiceImage, runBuild, runContainer, type ImageModel } from './image.js';
import { chartValueImage, imageSource } from './image-source.js';
import { roleFromProcess } from './roles.js';
import { makeTarget } from './make.js';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet', 'DeploymentConfig']);
const APP_HINT = /manage\.py|django|gunicorn|uwsgi|uvicorn|daphne|hypercorn|granian|waitress|runserver|collectstatic/;

/**
 * YAML files that may be manifests, by where they live or how they are named (reading every YAML
 * file of a repository would spend the read budget on test cassettes and CI files).
 */
export function isKubernetesCandidate(file: string): boolean {
  const base = path.posix.basename(file);
  // A Helm chart's templates (`charts/app/templates/deployment.yaml`) are read with their
  // template actions blanked out (see helmText).
  if (/\.ya?ml$/.test(base) && /(^|\/)templates\//.test(file) && /(^|\/)(charts?|helm|k8s|kube|kubernetes|deploy)\//i.test(file) && !/(^|\/)(\.github|tests?)\//.test(file)) return true;
  if (!/\.ya?ml$/.test(base) || /(^|\/)(templates|\.github|\.gitlab|tests?|fixtures|cassettes|node_modules)\//.test(file) || /^(docker-)?compose/.test(base)) return false;
  return (
    /(^|\/)(k8s|kube|kubernetes|manifests?|deploy|deployment|deployments|kustomize|overlays|base|openshift|argocd|gitops|infra|ops)\//i.test(file) ||
    /(^|[._-])(deployment|deploy|statefulset|daemonset|cronjob|job|pod|k8s|kube|workload|web|worker)s?[._-]?[\w-]*\.ya?ml$/i.test(base)
  );
}

export const KUBERNETES_MANIFESTS: FileSelector = { name: 'Kubernetes manifest', exts: ['yml', 'yaml'], test: isKubernetesCandidate };

/**
 * A Helm template as YAML: `{{ .Values.a.b }}` replaced by the chart's `values.yaml` value when it
 * is a plain scalar, every other template action blanked out (lines and the columns before each
 * action are kept, so positions point at the template's own lines). Null when the file is not
 * in a chart (no Chart.yaml above its `templates/` folder).
 */
export function helmText(project: Project, file: string, text: string): string | null {
  const m = /^(.*?)(?:^|\/)templates\//.exec(file);
  if (!m) return null;
  const chart = m[1].replace(/\/$/, '');
  const at = (f: string) => (chart ? `${chart}/${f}` : f);
  if (!project.repo.has(at('Chart.yaml')) && !project.repo.has(at('Chart.yml'))) return null;
  const values = project.cached(`helm-values:${chart}`, () => {
    const valuesText = project.repo.has(at('values.yaml')) ? project.repo.text(at('values.yaml')) : null;
    return valuesText ? new YamlDoc(valuesText, at('values.yaml')) : null;
  });
  const lookup = (expr: string): string | null => {
    const v = /^\s*-?\s*\.Values\.([\w.]+)\s*(\|\s*quote\s*)?-?\s*$/.exec(expr);
    if (!v || !values) return null;
    let n = values.root;
    for (const k of v[1].split('.')) n = values.get(n, k);
    const str = values.str(n);
    return str !== null && !/[\n{}]/.test(str) ? str : null;
  };
  // An action alone on its line (`{{- if … }}`, `{{- end }}`) becomes blank; one inside a value
  // becomes filler letters of the same length, so the value stays one plain scalar.
  const lines = text.split('\n');
  return lines
    .map((line) => {
      if (!line.includes('{{')) return line;
      const alone = line.replace(/\{\{[\s\S]*?\}\}/g, '').trim() === '';
      return line.replace(/\{\{(-?)([\s\S]*?)(-?)\}\}/g, (all, _a, expr: string) => {
        if (alone) return all.replace(/[^\n]/g, ' ');
        const v = lookup(expr);
        if (v !== null && /^[\w./@-]+$/.test(v)) return v;
        return '_'.repeat(all.length);
      });
    })
    .join('\n');
}

export function kubernetesTargets(project: Project, file: string): Target[] {
  const raw = project.repo.text(file);
  if (raw === null || !/^\s*kind\s*:\s*["']?(Deployment|StatefulSet|DaemonSet|Job|CronJob|Pod|ReplicaSet|DeploymentConfig)\b/m.test(raw) || !/^\s*apiVersion\s*:/m.test(raw)) return [];
  const templated = /\{\{/.test(raw);
  const text = templated ? helmText(project, file, raw) : raw;
  if (text === null) return [];
  const y = new YamlDoc(text, file, true);
  // A template's YAML is only approximate once its actions are blanked: not a parse finding.
  if (!templated) project.addParseIssues(file, y.issues);
  const out: Target[] = [];
  for (const doc of y.roots) {
    const docs = y.str(y.get(doc, 'kind')) === 'List' ? y.items(y.get(doc, 'items')) : [doc];
    for (const w of docs) {
      const kind = y.str(y.get(w, 'kind'));
      if (!kind || !WORKLOADS.has(kind)) continue;
      const name = plainName(y.str(y.get(y.get(w, 'metadata'), 'name'))) ?? kind.toLowerCase();
      const spec = y.get(w, 'spec');
      const podSpec =
        kind === 'Pod' ? spec : kind === 'CronJob' ? y.get(y.get(y.get(y.get(spec, 'jobTemplate'), 'spec'), 'template'), 'spec') : y.get(y.get(spec, 'template'), 'spec');
      if (!podSpec) continue;
      const verdict = judge(file, { names: [{ what: `${kind}`, name }], platform: 'a Kubernetes workload manifest' });
      const target: Target = makeTarget({
        kind: 'kubernetes',
        file,
        line: y.loc(w).line,
        name: `${kind}/${name}`,
        verdict,
        facts: { cwd: null, env: {}, envLocs: {} },
      });
      const batch = kind === 'Job' || kind === 'CronJob';
      for (const [list, init] of [[y.get(podSpec, 'initContainers'), true], [y.get(podSpec, 'containers'), false]] as [YNode | null, boolean][]) {
        for (const c of y.items(list)) {
          const cmdNode = y.get(c, 'command');
          const argsNode = y.get(c, 'args');
          const words = [...stringWords(y, cmdNode), ...stringWords(y, argsNode)];
          const imageNode = y.get(c, 'image');
          const imageRef = y.str(imageNode);
          // The project's own image (built by a Dockerfile of the repository): its ENTRYPOINT/CMD,
          // or `command:` in place of ENTRYPOINT and `args:` in place of CMD.
          // A chart value set at install time (`image: {{ .Values.image }}`) names no image here.
          const chartValue = templated ? /^\s*-?\s*image\s*:\s*["']?\{\{-?\s*(\.Values\.[\w.]+)\s*-?\}\}["']?\s*$/.exec(raw.split('\n')[y.loc(imageNode ?? c).line - 1] ?? '') : null;
          const src = (imageRef ? imageSource(project, imageRef) : null) ?? (chartValue ? chartValueImage(project, chartValue[1]) : null);
          const image = src ? imageModel(project, src.dockerfile, src.context, src.target) : null;
          if (image && !isServiceImage(image)) {
            const p = linkedContainer(project, y, c, image, cmdNode, argsNode, init || batch ? 'release' : 'web');
            if (p) {
              if (!init && !batch) p.role = roleFromProcess(p, y.items(y.get(c, 'ports')).length > 0 || image.expose);
              // The image's build (its installs and collectstatic) belongs to the target, once.
              if (!target.facts.dockerfile) target.processes.unshift(runBuild(project, image));
              target.processes.push(p);
              target.facts.dockerfile ??= { file: image.file, stage: image.final.name, context: image.context };
              continue;
            }
          }
          if (words.length === 0 || !APP_HINT.test(words.map((w) => w.raw).join(' '))) continue;
          // Only `args:` (no `command:`): they go to the image's ENTRYPOINT, unknown here, unless
          // they start with a program.
          if (!cmdNode && words[0].raw.startsWith('-')) continue;
          const cname = plainName(y.str(y.get(c, 'name'))) ?? 'container';
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

/** A name as written, or null when a template action stood there (blanked by helmText). */
function plainName(n: string | null): string | null {
  return n === null || /^_{5,}$/.test(n) ? null : n.replace(/_{5,}/g, '…');
}

/** A container of the project's own image, started as Kubernetes does: `command:` replaces ENTRYPOINT, `args:` CMD. */
function linkedContainer(project: Project, y: YamlDoc, c: YNode, image: ImageModel, cmdNode: YNode | null, argsNode: YNode | null, role: Role): Process | null {
  const cname = plainName(y.str(y.get(c, 'name'))) ?? 'container';
  const env: Env = { ...image.env };
  for (const e of y.items(y.get(c, 'env'))) {
    const n = y.str(y.get(e, 'name'));
    if (n) env[n] = y.str(y.get(e, 'value'));
  }
  const cmdWords = stringWords(y, cmdNode).map(literalArg);
  const argWords = stringWords(y, argsNode).map(literalArg);
  let args: Arg[];
  let steps: ChainStep[];
  let entry: Location;
  if (cmdNode || argsNode) {
    const base = cmdNode ? null : containerArgs(image.entrypoint, null);
    args = cmdNode ? [...cmdWords, ...argWords] : [...(base?.args ?? []), ...argWords];
    if (args.length === 0) return null;
    entry = y.loc(cmdNode ?? argsNode);
    steps = [{ file: entry.file, line: entry.line, column: entry.column, text: args.map((a) => a.text).join(' ').slice(0, 200), reach: base ? 'entrypoint+cmd' : 'direct' }];
  } else {
    const start = imageStart(image);
    if (!start) return null;
    const imgLoc = y.loc(y.get(c, 'image'));
    args = start.args;
    entry = start.at.loc;
    // The manifest's `image:` line, then the image's own ENTRYPOINT/CMD.
    steps = [
      { file: imgLoc.file, line: imgLoc.line, column: imgLoc.column, text: `image: ${y.str(y.get(c, 'image'))}`, reach: 'direct' },
      { file: start.at.file, line: start.at.line, column: start.at.column, text: start.at.text, reach: start.reach },
    ];
  }
  const p = runContainer(project, { file: image.file, cwd: y.str(y.get(c, 'workingDir')) ?? image.cwd }, cname, { args, reach: 'direct', steps, entry }, env, image.mapper);
  p.role = role;
  return p;
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
