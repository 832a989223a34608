#!/usr/bin/env node
/**
 * Benchmark of the built CLI and action against the floor of the machine (`node -e 0`) and the
 * cost of listing the files (`git ls-files -z`).
 *
 *   node scripts/bench.mjs [PATH] [options]
 *
 *   PATH               a checked-out repository to measure as well (optional)
 *   --files N          files of the main synthetic monorepo (default 100000)
 *   --services N       Django services in it (default 50)
 *   --scale A,B,C      sizes of the scaling trees, same services (default 10000,100000,300000;
 *                      `none` to skip)
 *   --services-scale A,B,C
 *                      services of the service-scaling trees, same file count as --files
 *                      (default 1,10,50; `none` to skip): the cost should follow these
 *   --typical N        files of the "typical Django repo" tree, one service (default 5000; 0 skips)
 *   --runs N           timed runs of each command, alternating (default 7)
 *   --node BIN         the node that runs everything (default: the one running this script)
 *   --dist DIR         the built bundle (default: dist)
 *   --fresh            regenerate the synthetic trees even when a cached copy exists
 *   --prepare          only make the synthetic trees (no bundle needed)
 *   --repos DIR…       real checkouts (git repositories) to measure, each alone: the CLI with
 *                      `--timing` beside `node -e 0` and `git ls-files` in the same rounds, each
 *                      stage and rule of `--timing` (medians), and targets against time
 *   --real             also measure the eight real repositories of issue 17 and "mono" (all eight
 *                      in one repository), built by scripts/bench-mono.mjs from the fetched
 *                      snapshots in $DDL_MIRRORS (default: .mirror beside the project) into
 *                      $DDL_BENCH_REAL (default: the temp directory); on by default when the
 *                      snapshots are there, `--no-real` skips them
 *   --real-only        the real repositories (--repos, --real) only, no synthetic trees
 *
 * The synthetic trees are git repositories made in the temp directory (os.tmpdir()) and kept
 * there between runs (keyed by size and generator version), since making a 300,000-file tree
 * takes longer than measuring it. Each timed round runs, in turn: `node -e 0`, `git ls-files`,
 * the CLI (`dist/cli.js PATH --format json --fail-on never`) cold (NODE_DISABLE_COMPILE_CACHE=1)
 * and with Node's compile cache warm (NODE_COMPILE_CACHE in the bench's temporary folder), and
 * the action (`dist/index.js` with INPUT_* set as a GitHub-hosted runner does: no cache), and the
 * medians and the medians of the paired ratios
 * (each command over the `node -e 0` of the same round) are printed. Peak RSS comes from one
 * further run of each with a preloaded hook that prints `process.resourceUsage().maxRSS` at exit.
 *
 * Nothing here is a test: the goals (issue 9) are read off the printed table.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REAL_REPOS, build as buildReal } from './bench-mono.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GENERATOR_VERSION = 4;

// ---------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const o = {
    path: null,
    files: 100_000,
    services: 50,
    scale: [10_000, 100_000, 300_000],
    servicesScale: [1, 10, 50],
    typical: 5_000,
    runs: 7,
    node: process.execPath,
    dist: path.join(ROOT, 'dist'),
    fresh: false,
    prepare: false,
    repos: [],
    real: null,
    realOnly: false,
  };
  const num = (v, name) => {
    const n = Number(String(v).replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} wants a whole number, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--files') o.files = num(value(), flag);
    else if (flag === '--services') o.services = Math.max(1, num(value(), flag));
    else if (flag === '--scale') {
      const v = value();
      o.scale = v === 'none' ? [] : v.split(',').map((s) => num(s, flag));
    } else if (flag === '--services-scale') {
      const v = value();
      o.servicesScale = v === 'none' ? [] : v.split(',').map((s) => Math.max(1, num(s, flag)));
    } else if (flag === '--typical') o.typical = num(value(), flag);
    else if (flag === '--runs') o.runs = Math.max(1, num(value(), flag));
    else if (flag === '--node') o.node = path.resolve(value());
    else if (flag === '--dist') o.dist = path.resolve(value());
    else if (flag === '--fresh') o.fresh = true;
    else if (flag === '--prepare') o.prepare = true;
    else if (flag === '--repos') {
      while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) o.repos.push(path.resolve(argv[++i]));
    } else if (flag === '--real') o.real = true;
    else if (flag === '--no-real') o.real = false;
    else if (flag === '--real-only') o.realOnly = true;
    else if (flag === '--help' || flag === '-h') {
      console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]);
      process.exit(0);
    } else if (!flag.startsWith('-') && o.path === null) o.path = path.resolve(flag);
    else throw new Error(`unknown argument: ${a}`);
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// The synthetic monorepo

/** Deployment files of one Django service; variants cover what the rules look at. */
function serviceFiles(i) {
  const name = `svc${String(i).padStart(3, '0')}`;
  const pkg = `${name}_site`;
  const v = i % 5;
  const files = {};
  files['manage.py'] = `#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "${pkg}.settings")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
`;
  files[`${pkg}/__init__.py`] = '';
  files[`${pkg}/settings.py`] = `import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "apps.core",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
${v === 3 ? '' : '    "whitenoise.middleware.WhiteNoiseMiddleware",\n'}    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

ROOT_URLCONF = "${pkg}.urls"
WSGI_APPLICATION = "${pkg}.wsgi.application"

DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "${name}"}}

STATIC_URL = "/static/"
${v === 4 ? '' : 'STATIC_ROOT = BASE_DIR / "staticfiles"\n'}STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
`;
  files[`${pkg}/urls.py`] = `from django.contrib import admin
from django.urls import path

urlpatterns = [path("admin/", admin.site.urls)]
`;
  files[`${pkg}/wsgi.py`] = `import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "${pkg}.settings")
application = get_wsgi_application()
`;
  files[`${pkg}/asgi.py`] = files[`${pkg}/wsgi.py`].replace(/wsgi/g, 'asgi').replace('get_asgi_application', 'get_asgi_application');
  files['requirements.txt'] = `Django==5.1.4
${v === 2 ? '' : 'gunicorn==23.0.0\n'}whitenoise==6.8.2
psycopg[binary]==3.2.3
celery==5.4.0
`;
  files['requirements-dev.txt'] = '-r requirements.txt\npytest==8.3.4\npytest-django==4.9.0\n';
  files['docker-entrypoint.sh'] = `#!/bin/sh
set -e

python manage.py migrate --noinput

if [ "$1" = "worker" ]; then
  exec celery -A ${pkg} worker -l info
fi
${v === 1 ? 'if [ "$DJANGO_DEBUG" = "1" ]; then\n  exec python manage.py runserver 0.0.0.0:8000\nfi\n' : ''}
exec "$@"
`;
  files['Dockerfile'] = `FROM python:3.12-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
${v === 0 ? '' : 'RUN SECRET_KEY=build python manage.py collectstatic --noinput\n'}EXPOSE 8000
ENTRYPOINT ["./docker-entrypoint.sh"]
CMD ["gunicorn", "${pkg}.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
`;
  files['docker-compose.yml'] = `services:
  web:
    build: .
    ports:
      - "8000:8000"
    env_file: .env.example
    depends_on:
      - db
  worker:
    build: .
    command: ["worker"]
    depends_on:
      - db
  db:
    image: postgres:16
`;
  files['docker-compose.dev.yml'] = `services:
  web:
    build: .
    command: python manage.py runserver 0.0.0.0:8000
    volumes:
      - .:/app
`;
  files['scripts/start.sh'] = `#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
python manage.py migrate --noinput
exec gunicorn ${pkg}.wsgi:application --bind "0.0.0.0:\${PORT:-8000}"
`;
  if (i % 2 === 0) files['Procfile'] = `release: python manage.py migrate --noinput\nweb: bash scripts/start.sh\n`;
  if (i % 7 === 0) {
    files[`deploy/${name}.service`] = `[Unit]
Description=${name} gunicorn
After=network.target

[Service]
User=www-data
WorkingDirectory=/srv/${name}
ExecStart=/srv/${name}/venv/bin/gunicorn ${pkg}.wsgi:application --bind 127.0.0.1:8000
Restart=always

[Install]
WantedBy=multi-user.target
`;
    files['deploy/nginx.conf'] = `server {
    listen 80;
    location /static/ { alias /srv/${name}/staticfiles/; }
    location / { proxy_pass http://127.0.0.1:8000; }
}
`;
  }
  files['.env.example'] = 'SECRET_KEY=change-me\nDEBUG=0\n';
  files['apps/__init__.py'] = '';
  files['apps/core/__init__.py'] = '';
  files['apps/core/apps.py'] = 'from django.apps import AppConfig\n\n\nclass CoreConfig(AppConfig):\n    name = "apps.core"\n';
  return files;
}

/** Filler: the rest of a large repository (code, templates, assets, docs, CI, fixtures). */
const FILLER = [
  ['models.py', 'from django.db import models\n\n\nclass Item(models.Model):\n    name = models.CharField(max_length=100)\n'],
  ['views.py', 'from django.http import JsonResponse\n\n\ndef index(request):\n    return JsonResponse({"ok": True})\n'],
  ['serializers.py', 'from rest_framework import serializers\n'],
  ['test_views.py', 'def test_index(client):\n    assert client.get("/").status_code == 200\n'],
  ['admin.py', 'from django.contrib import admin\n'],
  ['__init__.py', ''],
  ['index.html', '{% extends "base.html" %}\n{% block content %}<h1>Hello</h1>{% endblock %}\n'],
  ['app.js', 'export function main() {\n  return document.querySelector("#app");\n}\n'],
  ['style.css', 'body { margin: 0; font-family: sans-serif; }\n'],
  ['component.tsx', 'export const C = () => null;\n'],
  ['README.md', '# Module\n\nNotes about this module.\n'],
  ['data.json', '{"items": [1, 2, 3]}\n'],
  ['config.yml', 'key: value\nlist:\n  - a\n  - b\n'],
  ['fixture.yaml', '- model: core.item\n  pk: 1\n  fields: {name: x}\n'],
  ['messages.po', 'msgid "Hello"\nmsgstr "Bonjour"\n'],
  ['icon.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>\n'],
  ['schema.graphql', 'type Query { ok: Boolean }\n'],
  ['notes.txt', 'text\n'],
  ['helper.ts', 'export const helper = (x: number) => x + 1;\n'],
  ['Makefile.inc', 'all:\n\ttrue\n'],
];

function makeTree(dir, totalFiles, services) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const madeDirs = new Set();
  let count = 0;
  const write = (rel, text) => {
    const abs = path.join(dir, rel);
    const d = path.dirname(abs);
    if (!madeDirs.has(d)) {
      fs.mkdirSync(d, { recursive: true });
      madeDirs.add(d);
    }
    fs.writeFileSync(abs, text);
    if (rel.endsWith('.sh') || rel.endsWith('manage.py')) fs.chmodSync(abs, 0o755);
    count++;
  };
  write('README.md', '# Synthetic monorepo\n');
  write('.gitignore', '__pycache__/\n*.pyc\n');
  // A few shell scripts outside the services, as a large repository has (tooling, CI helpers).
  for (let k = 0; k < Math.max(1, Math.floor(totalFiles / 2000)); k++) write(`tools/dev/task${k}.sh`, `#!/bin/sh\nset -e\necho task ${k}\n`);
  write('.github/workflows/ci.yml', 'on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n');
  for (let s = 0; s < services; s++) {
    for (const [rel, text] of Object.entries(serviceFiles(s))) write(`services/svc${String(s).padStart(3, '0')}/${rel}`, text);
  }
  // Filler, spread over apps of the services and a frontend workspace, 20 files a directory.
  let n = 0;
  while (count < totalFiles) {
    const group = Math.floor(n / 20);
    const s = group % services;
    const f = FILLER[n % FILLER.length];
    const base =
      group % 3 === 2
        ? `frontend/packages/pkg${group % 400}/src/m${group}`
        : `services/svc${String(s).padStart(3, '0')}/apps/app${group % 60}/sub${group}`;
    write(`${base}/${n}_${f[0]}`, f[1]);
    n++;
  }
  git(dir, ['init', '-q']);
  git(dir, ['add', '-A']);
  return count;
}

function git(dir, args) {
  return execFileSync('git', ['-C', dir, '-c', 'core.autocrlf=false', '-c', 'gc.auto=0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1024 * 1024 * 1024,
  });
}

/** A cached synthetic tree of `files` files and `services` services. */
function syntheticTree(files, services, fresh) {
  const dir = path.join(os.tmpdir(), `ddl-bench-v${GENERATOR_VERSION}-${files}-${services}`);
  const stamp = path.join(dir, '.git', 'ddl-bench-ok');
  if (!fresh && fs.existsSync(stamp)) return dir;
  const t = performance.now();
  process.stderr.write(`making a ${files.toLocaleString('en')}-file tree with ${services} service(s) in ${dir} ... `);
  makeTree(dir, files, services);
  fs.writeFileSync(stamp, 'ok\n');
  process.stderr.write(`${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Measuring

const RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => { try { writeSync(2, '\\nDDL_BENCH_MAXRSS=' + process.resourceUsage().maxRSS + '\\n'); } catch {} });",
)}`;

function commands(o, root, actionEnvDir) {
  const env = { ...process.env };
  delete env.GITHUB_ACTIONS;
  delete env.NODE_COMPILE_CACHE;
  delete env.NODE_DISABLE_COMPILE_CACHE;
  for (const k of Object.keys(env)) if (k.startsWith('INPUT_')) delete env[k];
  // Cold: no compile cache, as on a GitHub-hosted runner (a fresh machine every job). Warm: the
  // cache of earlier runs in a folder of this bench (the warm-up round fills it), as a developer's
  // repeated runs or a self-hosted runner have it.
  const cold = { ...env, NODE_DISABLE_COMPILE_CACHE: '1' };
  const warm = { ...env, NODE_COMPILE_CACHE: path.join(actionEnvDir, 'compile-cache') };
  const actionEnv = {
    ...cold,
    RUNNER_ENVIRONMENT: 'github-hosted',
    GITHUB_WORKSPACE: root,
    RUNNER_TEMP: actionEnvDir,
    GITHUB_OUTPUT: path.join(actionEnvDir, 'output'),
    GITHUB_STEP_SUMMARY: path.join(actionEnvDir, 'summary'),
    INPUT_PATH: '.',
    'INPUT_FAIL-ON': 'never',
    INPUT_CONFIG: '',
    'INPUT_SARIF-FILE': '',
    'INPUT_CHECK-RUN': '',
    INPUT_COMMENT: '',
  };
  return [
    { name: 'node -e 0', file: o.node, args: ['-e', '0'], env, node: true },
    { name: 'git ls-files', file: 'git', args: ['-C', root, 'ls-files', '-z', '--cached'], env },
    { name: 'CLI', file: o.node, args: [path.join(o.dist, 'cli.js'), root, '--format', 'json', '--fail-on', 'never'], env: cold, node: true, check: true },
    { name: 'CLI, cache', file: o.node, args: [path.join(o.dist, 'cli.js'), root, '--format', 'json', '--fail-on', 'never'], env: warm, node: true },
    {
      name: 'action',
      file: o.node,
      args: [path.join(o.dist, 'index.js')],
      env: actionEnv,
      node: true,
      cwd: root,
      // The runner makes these files before each step; the action appends to them.
      before: () => {
        for (const f of [actionEnv.GITHUB_OUTPUT, actionEnv.GITHUB_STEP_SUMMARY]) fs.writeFileSync(f, '');
      },
    },
  ];
}

function runOnce(c, extraNodeArgs = []) {
  const args = c.node ? [...extraNodeArgs, ...c.args] : c.args;
  c.before?.();
  const t = process.hrtime.bigint();
  const r = spawnSync(c.file, args, { env: c.env, cwd: c.cwd ?? ROOT, maxBuffer: 1024 * 1024 * 1024, encoding: 'buffer' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${c.name} exited ${r.status}: ${r.stderr.toString('utf8').slice(0, 2000)}${r.stdout.toString('utf8').slice(-2000)}`);
  }
  return { ms, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function measure(o, label, root, which = ['node -e 0', 'git ls-files', 'CLI', 'CLI, cache', 'action']) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-bench-action-'));
  try {
    let cmds = commands(o, root, tmp).filter((c) => which.includes(c.name));
    // One warm-up round (page cache, git index), and a sanity check of the CLI's output. A
    // command that fails (the run's time bound, a crash) is reported as such and not timed.
    let info = '';
    const failed = {};
    for (const c of cmds) {
      let r;
      try {
        r = runOnce(c);
      } catch (e) {
        failed[c.name] = String(e.message).split('\n')[0].slice(0, 300);
        continue;
      }
      if (c.check) {
        const json = JSON.parse(r.stdout.toString('utf8'));
        info = `${json.targets?.length ?? '?'} targets, ${json.findings?.length ?? '?'} findings`;
      }
    }
    const all = cmds;
    cmds = cmds.filter((c) => !failed[c.name]);
    const times = Object.fromEntries(cmds.map((c) => [c.name, []]));
    const ratios = Object.fromEntries(cmds.map((c) => [c.name, []]));
    for (let i = 0; i < o.runs; i++) {
      let floor = 0;
      for (const c of cmds) {
        const { ms } = runOnce(c);
        times[c.name].push(ms);
        if (c.name === 'node -e 0') floor = ms;
        else ratios[c.name].push(ms / floor);
      }
    }
    const rss = {};
    for (const c of cmds) {
      if (!c.node) continue;
      const { stderr } = runOnce(c, ['--import', RSS_HOOK]);
      const m = /DDL_BENCH_MAXRSS=(\d+)/.exec(stderr);
      rss[c.name] = m ? Number(m[1]) / 1024 : NaN;
    }
    const rows = all.map((c) =>
      failed[c.name]
        ? { name: c.name, ms: NaN, ratio: NaN, rss: NaN, failed: failed[c.name] }
        : { name: c.name, ms: median(times[c.name]), ratio: c.name === 'node -e 0' ? 1 : median(ratios[c.name]), rss: rss[c.name] },
    );
    return { label, info, rows };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function printResult(res) {
  console.log(`\n${res.label}${res.info ? `\n  (${res.info})` : ''}`);
  console.log(`  ${'command'.padEnd(14)} ${'median ms'.padStart(10)} ${'× node -e 0'.padStart(12)} ${'peak RSS MB'.padStart(12)}`);
  for (const r of res.rows) {
    const rss = Number.isFinite(r.rss) ? r.rss.toFixed(0) : '-';
    if (r.failed) console.log(`  ${r.name.padEnd(14)} FAILED: ${r.failed}`);
    else console.log(`  ${r.name.padEnd(14)} ${r.ms.toFixed(1).padStart(10)} ${r.ratio.toFixed(2).padStart(12)} ${rss.padStart(12)}`);
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.prepare) {
    syntheticTree(o.files, o.services, o.fresh);
    if (o.typical > 0) syntheticTree(o.typical, 1, o.fresh);
    for (const n of o.scale) syntheticTree(n, o.services, o.fresh);
    for (const k of o.servicesScale) syntheticTree(o.files, k, o.fresh);
    return;
  }
  for (const f of ['cli.js', 'index.js']) {
    if (!fs.existsSync(path.join(o.dist, f))) throw new Error(`${path.join(o.dist, f)} is missing: run \`npm run build\` first`);
  }
  const version = execFileSync(o.node, ['-v'], { encoding: 'utf8' }).trim();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`django-deploy-lint bench: node ${version} (${o.node}), ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`);
  console.log(`medians of ${o.runs} alternating runs; ratios are the medians of each run over the node -e 0 of its round`);
  console.log('CLI: no compile cache (as every run on a GitHub-hosted runner); CLI, cache: Node\'s compile cache warm; action: as on a GitHub-hosted runner');

  if (o.path) printResult(measure(o, `${o.path}`, o.path, fs.existsSync(path.join(o.path, '.git')) ? undefined : ['node -e 0', 'CLI', 'action']));

  const real = [...o.repos];
  const mirrors = process.env.DDL_MIRRORS || path.resolve(ROOT, '..', '.mirror');
  if (o.real ?? (!o.repos.length && REAL_REPOS.every((n) => fs.existsSync(path.join(mirrors, n))))) {
    const out = process.env.DDL_BENCH_REAL || path.join(os.tmpdir(), 'ddl-bench-real');
    real.push(...(await buildReal({ mirrors, out, fresh: o.fresh })));
  }
  if (real.length > 0) measureReal(o, real);
  if (o.realOnly) return;

  const main = syntheticTree(o.files, o.services, o.fresh);
  printResult(measure(o, `synthetic monorepo: ${o.files.toLocaleString('en')} files, ${o.services} Django services`, main));

  if (o.typical > 0) {
    const typical = syntheticTree(o.typical, 1, o.fresh);
    printResult(measure(o, `typical Django repo: ${o.typical.toLocaleString('en')} files, 1 service`, typical));
  }

  if (o.scale.length > 0) {
    const rows = [];
    for (const n of o.scale) {
      const dir = syntheticTree(n, o.services, o.fresh);
      const res = measure(o, '', dir, ['node -e 0', 'git ls-files', 'CLI']);
      rows.push({ n: n.toLocaleString('en'), info: res.info, ...Object.fromEntries(res.rows.map((r) => [r.name, r])) });
    }
    printScaling(`scaling with size: the same ${o.services} services, more files (cost should follow the deployment files, not the size)`, 'files', rows);
  }
  if (o.servicesScale.length > 0) {
    const rows = [];
    for (const k of o.servicesScale) {
      const dir = syntheticTree(o.files, k, o.fresh);
      const res = measure(o, '', dir, ['node -e 0', 'git ls-files', 'CLI']);
      rows.push({ n: String(k), info: res.info, ...Object.fromEntries(res.rows.map((r) => [r.name, r])) });
    }
    printScaling(`scaling with deployments: ${o.files.toLocaleString('en')} files, more Django services (20 deployment and settings files each)`, 'services', rows);
  }
}

// ---------------------------------------------------------------------------------------------
// Real repositories

/** The rows of a `--timing` table (stderr of the CLI): name → ms. */
function timingRows(stderr) {
  const out = new Map();
  for (const line of stderr.split('\n')) {
    const m = /^(\S[^|]*?)\s*\|\s*([\d.]+)\s*\|/.exec(line);
    if (m) out.set(m[1], Number(m[2]));
  }
  return out;
}

/**
 * Each real checkout alone: `node -e 0`, `git ls-files` and the CLI (cold, with `--timing`) in
 * alternating rounds; ratios to `node -e 0` of the same round, the median of each stage and rule,
 * peak RSS, and targets against time (the cost should grow with the targets, linearly).
 */
function measureReal(o, dirs) {
  const rows = [];
  for (const dir of dirs) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-bench-real-'));
    try {
      const cmds = commands(o, dir, tmp).filter((c) => ['node -e 0', 'git ls-files', 'CLI'].includes(c.name));
      const cli = cmds.find((c) => c.name === 'CLI');
      cli.args = [...cli.args, '--timing'];
      const files = git(dir, ['ls-files', '-z', '--cached']).toString('utf8').split('\0').filter(Boolean).length;
      const first = runOnce(cli); // warm-up (page cache, git index)
      const json = JSON.parse(first.stdout.toString('utf8'));
      const times = { 'node -e 0': [], 'git ls-files': [], CLI: [] };
      const ratios = { 'git ls-files': [], CLI: [] };
      const stages = new Map();
      for (let i = 0; i < o.runs; i++) {
        let floor = 0;
        for (const c of cmds) {
          const { ms, stderr } = runOnce(c);
          times[c.name].push(ms);
          if (c.name === 'node -e 0') floor = ms;
          else ratios[c.name].push(ms / floor);
          if (c === cli) for (const [k, v] of timingRows(stderr)) stages.set(k, [...(stages.get(k) ?? []), v]);
        }
      }
      const { stderr } = runOnce(cli, ['--import', RSS_HOOK]);
      const m = /DDL_BENCH_MAXRSS=(\d+)/.exec(stderr);
      rows.push({
        name: path.basename(dir),
        files,
        targets: json.targets?.length ?? 0,
        findings: json.findings?.length ?? 0,
        floor: median(times['node -e 0']),
        git: median(ratios['git ls-files']),
        ms: median(times.CLI),
        ratio: median(ratios.CLI),
        rss: m ? Number(m[1]) / 1024 : NaN,
        stages: new Map([...stages].map(([k, v]) => [k, median(v)])),
      });
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  console.log('\nreal repositories: each alone; CLI with --timing, cold; ratios are medians of each run over the node -e 0 of its round');
  console.log(`  ${'repository'.padEnd(30)} ${'files'.padStart(6)} ${'targets'.padStart(7)} ${'node -e 0'.padStart(9)} ${'git ×'.padStart(6)} ${'CLI ms'.padStart(7)} ${'CLI ×'.padStart(6)} ${'RSS MB'.padStart(6)}  top stage or rule`);
  for (const r of rows) {
    const total = r.stages.get('total') ?? r.ms;
    const top = [...r.stages].filter(([k]) => k !== 'total').sort((a, b) => b[1] - a[1])[0];
    const topText = top ? `${top[0]} ${((100 * top[1]) / total).toFixed(0)}%` : '';
    console.log(
      `  ${r.name.padEnd(30)} ${String(r.files).padStart(6)} ${String(r.targets).padStart(7)} ${r.floor.toFixed(0).padStart(9)} ${r.git.toFixed(2).padStart(6)} ${r.ms.toFixed(0).padStart(7)} ${r.ratio.toFixed(2).padStart(6)} ${(Number.isFinite(r.rss) ? r.rss.toFixed(0) : '-').padStart(6)}  ${topText}`,
    );
  }
  // Every stage and rule (median ms and share of the median total), one column a repository.
  const names = [...new Set(rows.flatMap((r) => [...r.stages.keys()]))];
  const shown = names.filter((k) => k === 'total' || rows.some((r) => (r.stages.get(k) ?? 0) >= 1));
  console.log(`\n--timing, median ms (share of the run); stages and rules under 1 ms everywhere left out`);
  const w = 16;
  console.log(`  ${'stage / rule'.padEnd(14)} ${rows.map((r) => r.name.slice(0, w).padStart(w)).join(' ')}`);
  for (const k of shown) {
    const cells = rows.map((r) => {
      const v = r.stages.get(k);
      const total = r.stages.get('total');
      if (v === undefined) return '-'.padStart(w);
      return (k === 'total' ? `${v.toFixed(0)}` : `${v.toFixed(0)} (${((100 * v) / total).toFixed(0)}%)`).padStart(w);
    });
    console.log(`  ${k.padEnd(14)} ${cells.join(' ')}`);
  }
  // Targets against time: the run less the fixed costs (start-up, listing), per target.
  console.log('\ntargets against time (per target: the run less start-up and listing, over the targets)');
  console.log(`  ${'repository'.padEnd(30)} ${'targets'.padStart(7)} ${'CLI ms'.padStart(7)} ${'ms − fixed'.padStart(10)} ${'per target'.padStart(10)}`);
  for (const r of [...rows].sort((a, b) => a.targets - b.targets)) {
    const fixed = (r.stages.get('start-up') ?? 0) + (r.stages.get('list files') ?? 0) + (r.stages.get('load grammars') ?? 0);
    const work = (r.stages.get('total') ?? r.ms) - fixed;
    console.log(`  ${r.name.padEnd(30)} ${String(r.targets).padStart(7)} ${r.ms.toFixed(0).padStart(7)} ${work.toFixed(0).padStart(10)} ${(r.targets ? work / r.targets : NaN).toFixed(1).padStart(10)}`);
  }
}

function printScaling(title, what, rows) {
  console.log(`\n${title}`);
  console.log(`  ${what.padStart(9)} ${'node -e 0'.padStart(10)} ${'git ls-files'.padStart(13)} ${'CLI ms'.padStart(8)} ${'CLI ×'.padStart(7)} ${'CLI − git'.padStart(10)} ${'RSS MB'.padStart(7)}  ${'targets, findings'}`);
  for (const r of rows) {
    const cli = r.CLI;
    if (cli.failed) {
      console.log(`  ${r.n.padStart(9)} ${r['node -e 0'].ms.toFixed(1).padStart(10)} ${r['git ls-files'].ms.toFixed(1).padStart(13)}  CLI FAILED: ${cli.failed}`);
      continue;
    }
    console.log(
      `  ${r.n.padStart(9)} ${r['node -e 0'].ms.toFixed(1).padStart(10)} ${r['git ls-files'].ms.toFixed(1).padStart(13)} ${cli.ms.toFixed(1).padStart(8)} ${cli.ratio.toFixed(2).padStart(7)} ${(cli.ms - r['git ls-files'].ms).toFixed(1).padStart(10)} ${cli.rss.toFixed(0).padStart(7)}  ${r.info}`,
    );
  }
}

try {
  await main();
} catch (err) {
  console.error(`bench failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
