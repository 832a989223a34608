import { interpolationParts, parseCompose, type ComposeCommand } from '../src/parse/compose.js';
import type { Location } from '../src/core/location.js';

const F = 'docker-compose.yml';

/** The source text covered by a span. */
function src(text: string, l: Location): string {
  const lines = text.split(/\r\n|\n/);
  if (l.line === l.endLine) return lines[l.line - 1].slice(l.column - 1, l.endColumn - 1);
  return [lines[l.line - 1].slice(l.column - 1), ...lines.slice(l.line, l.endLine - 1), lines[l.endLine - 1].slice(0, l.endColumn - 1)].join('\n');
}

/** Source text from a base position, as many characters as `len`, line breaks included. */
function fromBase(text: string, base: { line: number; column: number }, len: number): string {
  const lines = text.split(/\r?\n/);
  let off = 0;
  for (let i = 0; i < base.line - 1; i++) off += lines[i].length + 1;
  return lines.join('\n').slice(off + base.column - 1, off + base.column - 1 + len);
}

function str(c: ComposeCommand | null) {
  if (!c || c.form !== 'string') throw new Error(`expected string form, got ${c?.form}`);
  return c;
}
function list(c: ComposeCommand | null) {
  if (!c || c.form !== 'list') throw new Error(`expected list form, got ${c?.form}`);
  return c;
}

const COMPOSE = [
  'x-common: &common', // 1
  '  environment: &env', // 2
  '    DEBUG: "0"', // 3
  '    PORT: 8000', // 4
  '  restart: always', // 5
  'services:', // 6
  '  web:', // 7
  '    <<: *common', // 8
  '    build: ./app', // 9
  '    image: myapp:latest', // 10
  '    command: ["gunicorn", "--bind", "0.0.0.0:${PORT:-8000}", proj.wsgi]', // 11
  '  worker:', // 12
  '    build:', // 13
  '      context: .', // 14
  '      dockerfile: docker/Dockerfile', // 15
  '      target: prod', // 16
  '    command: |', // 17
  '      celery -A proj \\', // 18
  '        worker', // 19
  '    entrypoint: "/entrypoint.sh"', // 20
  '    environment:', // 21
  '      - DJANGO_SETTINGS_MODULE=proj.settings', // 22
  '      - SECRET_KEY', // 23
  '    env_file: [.env, {path: prod.env, required: false}]', // 24
  '    extends: { service: base, file: common.yml }', // 25
  '    ports: ["8000:8000", {target: 80, published: 8080, protocol: tcp}]', // 26
  '    volumes: [".:/app", {type: bind, source: ./static, target: /static}]', // 27
  '    depends_on: { db: { condition: service_healthy } }', // 28
  '    working_dir: /app', // 29
  '    profiles: [prod]', // 30
  '  db:', // 31
  '    image: postgres', // 32
  '    depends_on: [web]', // 33
  '    extends: base', // 34
].join('\n');

describe('parseCompose', () => {
  const r = parseCompose(COMPOSE, F);

  test('services with names and spans; x- keys ignored', () => {
    expect(r.issues).toEqual([]);
    expect(r.isCompose).toBe(true);
    expect(r.services.map((s) => s.name)).toEqual(['web', 'worker', 'db']);
    expect(r.services[1].nameLoc).toEqual({ file: F, line: 12, column: 3, endLine: 12, endColumn: 9 });
    expect(r.services[0].loc).toEqual({ file: F, line: 7, column: 3, endLine: 11, endColumn: 72 });
  });

  test('command list: each element a Word at its own position, compose interpolation as var parts', () => {
    const web = r.services[0];
    const c = list(web.command);
    expect(c.words.map((w) => w.raw)).toEqual(['"gunicorn"', '"--bind"', '"0.0.0.0:${PORT:-8000}"', 'proj.wsgi']);
    expect(c.words[3].loc).toEqual({ file: F, line: 11, column: 62, endLine: 11, endColumn: 71 });
    expect(c.words[1].loc).toEqual({ file: F, line: 11, column: 27, endLine: 11, endColumn: 35 });
    for (const w of c.words) expect(src(COMPOSE, w.loc)).toBe(w.raw);
    expect(c.words[0].parts).toEqual([{ kind: 'lit', text: 'gunicorn' }]);
    expect(c.words[2].parts).toEqual([
      { kind: 'lit', text: '0.0.0.0:' },
      { kind: 'var', name: 'PORT', op: ':-', arg: { raw: '8000', parts: [{ kind: 'lit', text: '8000' }], quoted: false, loc: c.words[2].loc } },
    ]);
    expect(c.loc).toEqual({ file: F, line: 11, column: 14, endLine: 11, endColumn: 72 });
  });

  test('merge key: environment comes from the anchor, with the anchor positions', () => {
    const web = r.services[0];
    expect(web.environment.map((e) => [e.name, e.value])).toEqual([
      ['DEBUG', '0'],
      ['PORT', '8000'],
    ]);
    expect(web.environment[0].loc).toEqual({ file: F, line: 3, column: 5, endLine: 3, endColumn: 15 });
  });

  test('build short and long form, image', () => {
    const [web, worker, db] = r.services;
    expect(web.build).toEqual({ context: './app', dockerfile: null, target: null, loc: { file: F, line: 9, column: 12, endLine: 9, endColumn: 17 } });
    expect(worker.build).toMatchObject({ context: '.', dockerfile: 'docker/Dockerfile', target: 'prod' });
    expect(worker.build!.loc).toMatchObject({ line: 14, column: 7, endLine: 16, endColumn: 19 });
    expect(web.image).toEqual({ value: 'myapp:latest', loc: { file: F, line: 10, column: 12, endLine: 10, endColumn: 24 } });
    expect(db.build).toBeNull();
  });

  test('block scalar command: base at the first content character, lines keep their columns', () => {
    const c = str(r.services[1].command);
    expect(c.base).toEqual({ line: 18, column: 7 });
    expect(c.text).toBe('celery -A proj \\\n        worker');
    expect(fromBase(COMPOSE, c.base, c.text.length)).toBe(c.text);
    expect(c.loc).toEqual({ file: F, line: 17, column: 14, endLine: 19, endColumn: 15 });
  });

  test('quoted string command: base after the opening quote', () => {
    const c = str(r.services[1].entrypoint);
    expect(c.text).toBe('/entrypoint.sh');
    expect(c.base).toEqual({ line: 20, column: 18 });
    expect(c.loc).toEqual({ file: F, line: 20, column: 17, endLine: 20, endColumn: 33 });
  });

  test('environment list, env_file, extends, ports, volumes, depends_on, working_dir, profiles', () => {
    const [, worker, db] = r.services;
    expect(worker.environment).toEqual([
      { name: 'DJANGO_SETTINGS_MODULE', value: 'proj.settings', loc: { file: F, line: 22, column: 9, endLine: 22, endColumn: 45 } },
      { name: 'SECRET_KEY', value: null, loc: { file: F, line: 23, column: 9, endLine: 23, endColumn: 19 } },
    ]);
    expect(worker.envFiles.map((e) => e.value)).toEqual(['.env', 'prod.env']);
    expect(worker.extends).toMatchObject({ service: 'base', file: 'common.yml' });
    expect(db.extends).toMatchObject({ service: 'base', file: null, loc: { line: 34, column: 14 } });
    expect(worker.ports.map((p) => p.value)).toEqual(['8000:8000', '8080:80/tcp']);
    expect(worker.volumes.map((p) => p.value)).toEqual(['.:/app', './static:/static']);
    expect(worker.dependsOn).toEqual(['db']);
    expect(db.dependsOn).toEqual(['web']);
    expect(worker.workingDir).toEqual({ value: '/app', loc: { file: F, line: 29, column: 18, endLine: 29, endColumn: 22 } });
    expect(worker.profiles).toEqual(['prod']);
    expect(db.command).toBeNull();
  });
});

describe('parseCompose: string command forms', () => {
  const cmd = (yaml: string) => str(parseCompose(`services:\n  web:\n${yaml}`, F).services[0].command);

  test.each([
    // [label, yaml, text, base]
    ['plain', '    command: gunicorn proj.wsgi\n', 'gunicorn proj.wsgi', { line: 3, column: 14 }],
    ['double-quoted', '    command: "gunicorn proj.wsgi"\n', 'gunicorn proj.wsgi', { line: 3, column: 15 }],
    ['single-quoted with an escape (value)', "    command: 'echo ''hi'''\n", "echo 'hi'", { line: 3, column: 15 }],
    ['literal block', '    command: |\n      python manage.py migrate\n      gunicorn proj.wsgi\n', 'python manage.py migrate\n      gunicorn proj.wsgi', { line: 4, column: 7 }],
    ['literal block, keep chomping and a comment on the header', '    command: |+ # start\n\n      gunicorn\n\n', 'gunicorn', { line: 5, column: 7 }],
    ['folded block: folds become line continuations', '    command: >\n      gunicorn\n      --bind 0.0.0.0\n', 'gunicorn\\\n      --bind 0.0.0.0', { line: 4, column: 7 }],
    ['folded block: more-indented lines keep their breaks', '    command: >-\n      sh -c "a &&\n        b"\n', 'sh -c "a &&\n        b"', { line: 4, column: 7 }],
    ['multi-line plain scalar', '    command: gunicorn\n      --bind 0.0.0.0\n', 'gunicorn\\\n      --bind 0.0.0.0', { line: 3, column: 14 }],
    ['explicit indentation indicator', '    command: |2\n        indented\n      gunicorn\n', '  indented\n      gunicorn', { line: 4, column: 7 }],
  ])('%s', (_label, yaml, text, base) => {
    const c = cmd(yaml);
    expect(c.text).toBe(text);
    expect(c.base).toEqual(base);
  });

  test('position-preserving texts match the source from base', () => {
    const yaml = '    command: >\n      gunicorn\n      --bind 0.0.0.0\n';
    const full = `services:\n  web:\n${yaml}`;
    const c = cmd(yaml);
    // Remove the inserted continuation backslashes: the rest is the source, column for column.
    expect(fromBase(full, c.base, c.text.length - 1)).toBe(c.text.replace('\\\n', '\n'));
  });

  test('CRLF block scalar', () => {
    const r = parseCompose('services:\r\n  web:\r\n    command: |\r\n      gunicorn \\\r\n        proj.wsgi\r\n', F);
    expect(r.issues).toEqual([]);
    const c = str(r.services[0].command);
    expect(c.text).toBe('gunicorn \\\n        proj.wsgi');
    expect(c.base).toEqual({ line: 4, column: 7 });
  });
});

describe('parseCompose: not compose, malformed, hostile', () => {
  test.each([
    ['empty', ''],
    ['a scalar', 'just text\n'],
    ['a list', '- a\n- b\n'],
    ['a GitHub workflow', 'name: ci\non: push\njobs: {}\n'],
    ['services not a mapping', 'services:\n  - web\n'],
  ])('not compose without issues: %s', (_label, text) => {
    const r = parseCompose(text, F);
    expect(r).toEqual({ services: [], issues: [], isCompose: false });
  });

  test.each([
    ['unclosed flow sequence', 'services:\n  web:\n    command: [a, b\n    image: x\n', 4, 5, /YAML syntax error/],
    ['tab indentation', 'services:\n\tweb:\n', 2, 1, /YAML syntax error: Tabs/],
    ['duplicate key', 'services:\n  web:\n    image: a\n    image: b\n', 4, 5, /YAML syntax error: Map keys must be unique/],
    ['unknown alias', 'services:\n  web:\n    command: *nope\n', 3, 14, /unknown YAML alias \*nope/],
    ['command as a mapping', 'services:\n  web:\n    command: {a: 1}\n', 3, 14, /command must be a string or a list/],
    ['command list with a mapping element', 'services:\n  web:\n    command: [gunicorn, {a: 1}]\n', 3, 25, /each list element must be a string/],
    ['environment as a number', 'services:\n  web:\n    environment: 3\n', 3, 18, /environment must be a mapping/],
    ['null service', 'services:\n  web:\n', 2, 3, /service 'web' must be a mapping/],
  ])('issue: %s', (_label, text, line, column, msg) => {
    const r = parseCompose(text, F);
    expect(r.issues.length).toBeGreaterThanOrEqual(1);
    expect(r.issues[0].message).toMatch(msg);
    expect(r.issues[0].loc).toMatchObject({ file: F, line, column });
    expect(r.issues[0].loc.endLine > line || r.issues[0].loc.endColumn > column).toBe(true);
  });

  test('alias bomb: bounded, reported once, no throw', () => {
    const lines = ['x: &x {command: a}'];
    let prev = 'x';
    for (let i = 0; i < 8; i++) {
      const name = `m${i}`;
      lines.push(`${name}: &${name} {<<: [*${prev}, *${prev}, *${prev}, *${prev}]}`);
      prev = name;
    }
    lines.push('services:', '  web:', `    <<: [*${prev}, *${prev}]`);
    const t0 = Date.now();
    const r = parseCompose(lines.join('\n'), F);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.issues.filter((i) => /too many YAML aliases/.test(i.message))).toHaveLength(1);
    expect(r.services.map((s) => s.name)).toEqual(['web']);
  });

  test('hostile interpolation stays fast: many unclosed ${', () => {
    const t0 = Date.now();
    const r = parseCompose(`services:\n  web:\n    command: ["${'${'.repeat(50_000)}"]\n`, F);
    expect(list(r.services[0].command).words[0].parts).toEqual([{ kind: 'lit', text: '${'.repeat(50_000) }]);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  test('nested list aliases are not expanded', () => {
    const text = 'a: &a [x, x, x]\nb: &b [*a, *a, *a]\nservices:\n  web:\n    command: *b\n';
    const r = parseCompose(text, F);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0].message).toMatch(/each list element must be a string/);
    expect(list(r.services[0].command).words).toEqual([]);
  });

  test('the first compose document of a multi-document stream is used', () => {
    const r = parseCompose('---\nfoo: 1\n---\nservices:\n  web:\n    image: x\n', F);
    expect(r.isCompose).toBe(true);
    expect(r.services[0].image).toMatchObject({ value: 'x', loc: { line: 6, column: 12 } });
  });
});

describe('interpolationParts', () => {
  const L: Location = { file: F, line: 1, column: 1, endLine: 1, endColumn: 1 };
  test.each([
    ['plain', [{ kind: 'lit', text: 'plain' }]],
    ['$$HOME', [{ kind: 'lit', text: '$HOME' }]],
    ['a$B', [{ kind: 'lit', text: 'a' }, { kind: 'var', name: 'B' }]],
    ['${A?required}', [{ kind: 'var', name: 'A', op: '?', arg: { raw: 'required', parts: [{ kind: 'lit', text: 'required' }], quoted: false, loc: L } }]],
    ['${bad name}', [{ kind: 'lit', text: '${bad name}' }]],
    ['', [{ kind: 'lit', text: '' }]],
  ])('%s', (value, parts) => {
    expect(interpolationParts(value, L)).toEqual(parts);
  });
});

test('`!reset` removes a service in an override file without an issue', () => {
  const r = parseCompose('services:\n  nginx: !reset\n  web:\n    image: app\n', 'docker-compose.override.yml');
  expect(r.issues).toEqual([]);
  expect(r.services.map((s) => s.name)).toEqual(['web']);
});
