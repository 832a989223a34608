import { loadGrammars } from '../src/parse/treesitter.js';
import { expandWord, parseShell, parseShellWord, staticValue } from '../src/parse/shell.js';
import { literalWord, splitShellWords } from '../src/parse/argv.js';
import type { Location } from '../src/core/location.js';
import type { ShellCommand, ShellScript, Word } from '../src/core/words.js';
import { generatedScript } from './bench/shell-script.js';

beforeAll(async () => {
  await loadGrammars(['bash']);
});

const F = 'start.sh';

/** Static values of a command's words ('?' for a dynamic word). */
const argv = (c: ShellCommand) => c.words.map((w) => staticValue(w) ?? '?');
const names = (s: ShellScript | ShellCommand[]) => ('commands' in s ? s.commands : s).map((c) => argv(c).join(' '));
const byName = (s: ShellScript, name: string) => {
  const c = s.commands.find((x) => staticValue(x.words[0] ?? { raw: '', parts: [], quoted: false, loc: undefined as never }) === name);
  if (!c) throw new Error(`no command ${name} in ${names(s).join(' | ')}`);
  return c;
};
const at = (l: Location) => [l.line, l.column, l.endLine, l.endColumn];
/** The source text a location covers (single-line locations). */
const cover = (src: string, l: Location) => src.split(/\r?\n/)[l.line - 1].slice(l.column - 1, l.endColumn - 1);

describe('simple commands and words', () => {
  test('exec gunicorn with a $PORT bind', () => {
    const src = 'exec gunicorn proj.wsgi:application --bind 0.0.0.0:$PORT\n';
    const s = parseShell(src, F);
    expect(s.errors).toEqual([]);
    expect(s.commands).toHaveLength(1);
    const c = s.commands[0];
    expect(argv(c)).toEqual(['exec', 'gunicorn', 'proj.wsgi:application', '--bind', '?']);
    expect(c.words[4].parts).toEqual([
      { kind: 'lit', text: '0.0.0.0:' },
      { kind: 'var', name: 'PORT' },
    ]);
    expect(c.words[4].quoted).toBe(false);
    expect(c.words.map((w) => cover(src, w.loc))).toEqual(['exec', 'gunicorn', 'proj.wsgi:application', '--bind', '0.0.0.0:$PORT']);
    expect(at(c.words[2].loc)).toEqual([1, 15, 1, 36]);
    expect(c.words[2].loc.file).toBe(F);
    expect(at(c.loc)).toEqual([1, 1, 1, 57]);
    expect(c.text).toBe('exec gunicorn proj.wsgi:application --bind 0.0.0.0:$PORT');
    expect(c.ctx).toEqual({ conditional: false, background: false, pipeline: false, condition: false });
    expect(s.functions).toEqual({});
  });

  test('leading assignments', () => {
    const src = 'FOO=1 BAR="x y" cmd arg';
    const c = parseShell(src, F).commands[0];
    expect(argv(c)).toEqual(['cmd', 'arg']);
    expect(c.assignments.map((a) => [a.name, a.value && staticValue(a.value), a.value?.quoted])).toEqual([
      ['FOO', '1', false],
      ['BAR', 'x y', true],
    ]);
    expect(cover(src, c.assignments[1].loc)).toBe('BAR="x y"');
    expect(cover(src, c.assignments[1].value!.loc)).toBe('"x y"');
    expect(at(c.loc)).toEqual([1, 1, 1, 24]);
  });

  test('bare assignments, an empty value, and a glob-free value', () => {
    const s = parseShell('X=\nY=*.py\nZ=$(date)\n', F);
    expect(s.commands.map((c) => c.words.length)).toEqual([0, 0, 0]);
    const [x, y, z] = s.commands.map((c) => c.assignments[0]);
    expect(x.name).toBe('X');
    expect(x.value).toMatchObject({ raw: '', parts: [] });
    expect(at(x.value!.loc)).toEqual([1, 3, 1, 3]);
    expect(y.value!.parts).toEqual([{ kind: 'lit', text: '*.py' }]); // no globbing in assignments
    expect(z.value!.parts).toEqual([{ kind: 'cmd', text: '$(date)' }]);
  });

  test('assignment lines followed by a command are separate commands', () => {
    // tree-sitter-bash reads `X=1 Y=2⏎cmd` as one command; the shell does not.
    const src = 'X=1 Y=2\nexec gunicorn app\nA=1 B=2 # note\nexport C=3\nD=4 \\\n  run\n';
    const s = parseShell(src, F);
    expect(s.commands.map((c) => [argv(c).join(' '), c.assignments.map((a) => a.name).join(',')])).toEqual([
      ['', 'X,Y'],
      ['exec gunicorn app', ''],
      ['', 'A,B'],
      ['export', 'C'],
      ['run', 'D'], // a continuation keeps the prefix assignment
    ]);
    expect(at(s.commands[0].loc)).toEqual([1, 1, 1, 8]);
    expect(at(s.commands[1].loc)).toEqual([2, 1, 2, 18]);
    expect(s.commands[3].assignments[0].value && staticValue(s.commands[3].assignments[0].value)).toBe('3');
    expect(cover(src, s.commands[3].assignments[0].value!.loc)).toBe('3');
  });

  test('export / declare / local / readonly hold assignments', () => {
    const src = 'export A=1 B="2 3" C\ndeclare -x D=4\nlocal -r E=$(cat x)\nreadonly F=5\n';
    const s = parseShell(src, F);
    expect(s.commands.map((c) => argv(c))).toEqual([['export'], ['declare', '-x'], ['local', '-r'], ['readonly']]);
    expect(s.commands.map((c) => c.assignments.map((a) => `${a.name}=${a.value ? staticValue(a.value) ?? '?' : 'null'}`))).toEqual([
      ['A=1', 'B=2 3', 'C=null'],
      ['D=4'],
      ['E=?'],
      ['F=5'],
    ]);
    expect(cover(src, s.commands[0].assignments[2].loc)).toBe('C');
  });

  test('redirections are not words; a here-string is ignored', () => {
    const s = parseShell('gunicorn app 2>&1 > /tmp/log\ngrep x <<< "$Y"\n', F);
    expect(names(s)).toEqual(['gunicorn app', 'grep x']);
  });

  test('a here-document body is not read as commands', () => {
    const src = 'cat <<EOF > /etc/app.conf\nexec python manage.py runserver\nEOF\nexec gunicorn app\n';
    const s = parseShell(src, F);
    expect(names(s)).toEqual(['cat', 'exec gunicorn app']);
    expect(s.errors).toEqual([]);
    expect(s.commands[1].loc.line).toBe(4);
  });

  test('comments are ignored', () => {
    const s = parseShell('#!/bin/sh\n# exec python manage.py runserver 0.0.0.0:8000\n  # gunicorn app\nexec gunicorn app # runserver\n', F);
    expect(names(s)).toEqual(['exec gunicorn app']);
  });

  test('an empty or blank script', () => {
    for (const src of ['', '\n\n', '   \n# only a comment\n']) {
      const s = parseShell(src, F);
      expect(s).toEqual({ file: F, commands: [], functions: {}, errors: [] });
    }
  });

  test('source, dot, cd, set are commands like any other', () => {
    const s = parseShell('set -euo pipefail\ncd /app\n. ./env.sh\nsource venv/bin/activate\n', F);
    expect(names(s)).toEqual(['set -euo pipefail', 'cd /app', '. ./env.sh', 'source venv/bin/activate']);
  });
});

describe('word parts', () => {
  const word = (src: string): Word => parseShell(`cmd ${src}`, F).commands[0].words[1];
  test.each<[string, object[], boolean]>([
    ['plain', [{ kind: 'lit', text: 'plain' }], false],
    ["'single $X'", [{ kind: 'lit', text: 'single $X' }], true],
    ['"double $X!"', [{ kind: 'lit', text: 'double ' }, { kind: 'var', name: 'X' }, { kind: 'lit', text: '!' }], true],
    ['"$@"', [{ kind: 'var', name: '@' }], true],
    ['$@', [{ kind: 'var', name: '@' }], false],
    ['$*', [{ kind: 'var', name: '@' }], false],
    ['"$*"', [{ kind: 'var', name: '@' }], true],
    ['$1', [{ kind: 'var', name: '1' }], false],
    ['${10}', [{ kind: 'var', name: '10' }], false],
    ['${PORT}', [{ kind: 'var', name: 'PORT' }], false],
    ['$(cat x)', [{ kind: 'cmd', text: '$(cat x)' }], false],
    ['`date`', [{ kind: 'cmd', text: '`date`' }], false],
    ['"pre $(cat x) post"', [{ kind: 'lit', text: 'pre ' }, { kind: 'cmd', text: '$(cat x)' }, { kind: 'lit', text: ' post' }], true],
    ['${#X}', [{ kind: 'cmd', text: '${#X}' }], false],
    ['${X/a/b}', [{ kind: 'cmd', text: '${X/a/b}' }], false],
    ['$((1+2))', [{ kind: 'cmd', text: '$((1+2))' }], false],
    ["$'a\\tb'", [{ kind: 'lit', text: 'a\tb' }], true],
    ['a"b c"\'d\'', [{ kind: 'lit', text: 'ab cd' }], false],
    ['pre${X}post', [{ kind: 'lit', text: 'pre' }, { kind: 'var', name: 'X' }, { kind: 'lit', text: 'post' }], false],
    ['x\\"y', [{ kind: 'lit', text: 'x"y' }], false],
    ['"a\\"b\\$c\\d"', [{ kind: 'lit', text: 'a"b$c\\d' }], true],
    ['\\$HOME', [{ kind: 'lit', text: '$HOME' }], false],
    ['a\\ b', [{ kind: 'lit', text: 'a b' }], false],
    ['"a $ b"', [{ kind: 'lit', text: 'a $ b' }], true],
    ['""', [], true],
    ["''", [], true],
    ['*.py', [{ kind: 'glob', text: '*' }, { kind: 'lit', text: '.py' }], false],
    ['a?c', [{ kind: 'lit', text: 'a' }, { kind: 'glob', text: '?' }, { kind: 'lit', text: 'c' }], false],
    ['ab[cd]', [{ kind: 'lit', text: 'ab' }, { kind: 'glob', text: '[cd]' }], false],
    ['"*.py"', [{ kind: 'lit', text: '*.py' }], true],
    ['\\*', [{ kind: 'lit', text: '*' }], false],
    ['{a,b}', [{ kind: 'glob', text: '{a,b}' }], false],
  ])('%s', (src, parts, quoted) => {
    const w = word(src);
    expect(w.parts).toEqual(parts);
    expect(w.quoted).toBe(quoted);
    expect(w.raw).toBe(src);
    expect(at(w.loc)).toEqual([1, 5, 1, 5 + src.length]);
  });

  test('multi-line double-quoted string keeps its newline', () => {
    const s = parseShell('echo "multi\nline" x\n', F);
    const w = s.commands[0].words[1];
    expect(w.parts).toEqual([{ kind: 'lit', text: 'multi\nline' }]);
    expect(at(w.loc)).toEqual([1, 6, 2, 6]);
    expect(at(s.commands[0].words[2].loc)).toEqual([2, 7, 2, 8]);
  });

  test.each<[string, string, string, object[]]>([
    ['${PORT:-8000}', 'PORT', ':-', [{ kind: 'lit', text: '8000' }]],
    ['${PORT-8000}', 'PORT', '-', [{ kind: 'lit', text: '8000' }]],
    ['${PORT:=8000}', 'PORT', ':=', [{ kind: 'lit', text: '8000' }]],
    ['${PORT=8000}', 'PORT', '=', [{ kind: 'lit', text: '8000' }]],
    ['${DEBUG:+--reload}', 'DEBUG', ':+', [{ kind: 'lit', text: '--reload' }]],
    ['${DEBUG+--reload}', 'DEBUG', '+', [{ kind: 'lit', text: '--reload' }]],
    ['${APP:?need APP}', 'APP', ':?', [{ kind: 'lit', text: 'need APP' }]],
    ['${APP?need}', 'APP', '?', [{ kind: 'lit', text: 'need' }]],
    ['${X:-$Y}', 'X', ':-', [{ kind: 'var', name: 'Y' }]],
    ['${X:-${Y:-z}}', 'X', ':-', [{ kind: 'var', name: 'Y', op: ':-', arg: expect.objectContaining({ parts: [{ kind: 'lit', text: 'z' }] }) }]],
    ['${X:-"a b"}', 'X', ':-', [{ kind: 'lit', text: 'a b' }]],
    ['${X:-}', 'X', ':-', []],
  ])('%s', (src, name, op, argParts) => {
    const w = word(src);
    expect(w.parts).toHaveLength(1);
    const p = w.parts[0];
    expect(p).toMatchObject({ kind: 'var', name, op });
    if (p.kind !== 'var') throw new Error('not a var');
    expect(p.arg!.parts).toEqual(argParts);
    // the argument's span is what sits between the operator and the closing brace
    const inner = src.slice(2 + name.length + op.length, -1);
    expect(p.arg!.raw).toBe(inner);
    expect(cover(`cmd ${src}`, p.arg!.loc)).toBe(inner);
  });

  test('"${PORT:-8000}" inside double quotes', () => {
    const w = word('"0.0.0.0:${PORT:-8000}"');
    expect(w.quoted).toBe(true);
    expect(w.parts).toEqual([
      { kind: 'lit', text: '0.0.0.0:' },
      { kind: 'var', name: 'PORT', op: ':-', arg: expect.objectContaining({ raw: '8000', parts: [{ kind: 'lit', text: '8000' }] }) },
    ]);
    expect(expandWord(w, {})).toBe('0.0.0.0:8000');
    expect(expandWord(w, { PORT: '5000' })).toBe('0.0.0.0:5000');
  });

  test('nested quotes', () => {
    const src = `sh -c "gunicorn 'a b' \\"c d\\" \${X:-'q'}"`;
    const w = parseShell(src, F).commands[0].words[2];
    expect(w.parts).toEqual([
      { kind: 'lit', text: `gunicorn 'a b' "c d" ` },
      { kind: 'var', name: 'X', op: ':-', arg: expect.objectContaining({ parts: [{ kind: 'lit', text: "'q'" }] }) },
    ]);
  });
});

describe('staticValue and expandWord', () => {
  const w = (src: string) => parseShell(`cmd ${src}`, F).commands[0].words[1];
  test.each<[string, Record<string, string>, string | null]>([
    ['plain', {}, 'plain'],
    ['$PORT', { PORT: '80' }, '80'],
    ['$PORT', {}, null],
    ['${PORT:-8000}', {}, '8000'],
    ['${PORT:-8000}', { PORT: '' }, '8000'],
    ['${PORT-8000}', { PORT: '' }, ''],
    ['${PORT:=8000}', {}, '8000'],
    ['${PORT:-$DEF}', { DEF: '9' }, '9'],
    ['${PORT:-$DEF}', {}, null],
    ['${DEBUG:+--reload}', { DEBUG: '1' }, '--reload'],
    ['${DEBUG:+--reload}', { DEBUG: '' }, ''],
    ['${DEBUG+--reload}', { DEBUG: '' }, '--reload'],
    ['${DEBUG:+--reload}', {}, null],
    ['${APP:?missing}', { APP: 'a' }, 'a'],
    ['${APP:?missing}', {}, null],
    ['"$@"', { '@': 'x y' }, 'x y'],
    ['"$@"', {}, null],
    ['$(cat x)', {}, null],
    ['*.py', {}, null],
    ['a${X}b', { X: '-' }, 'a-b'],
    ['toString', {}, 'toString'],
    ['$toString', {}, null],
  ])('%s with %j → %j', (src, env, out) => {
    expect(expandWord(w(src), env)).toBe(out);
  });

  test('staticValue', () => {
    expect(staticValue(w('"a b"'))).toBe('a b');
    expect(staticValue(w('""'))).toBe('');
    expect(staticValue(w('$X'))).toBeNull();
    expect(staticValue(w('*'))).toBeNull();
  });
});

describe('control context', () => {
  test('; and && and ||', () => {
    const s = parseShell('set -e; python manage.py migrate && exec gunicorn x\ncmd1 || cmd2\na && b || c\n', F);
    const ctx = Object.fromEntries(s.commands.map((c) => [argv(c)[0] === 'python' ? 'migrate' : argv(c).join(' '), c.ctx]));
    expect(ctx['set -e']).toEqual({ conditional: false, background: false, pipeline: false, condition: false });
    expect(ctx['migrate']).toEqual({ conditional: false, background: false, pipeline: false, condition: false });
    expect(ctx['exec gunicorn x'].conditional).toBe(true);
    expect(ctx['exec gunicorn x'].negated).toBeUndefined();
    expect(ctx['cmd1']).toMatchObject({ conditional: false, negated: true });
    expect(ctx['cmd2']).toMatchObject({ conditional: true });
    expect(ctx['cmd2'].negated).toBeUndefined();
    // `a && b || c`: c runs if a or b fails
    expect(ctx['a']).toMatchObject({ conditional: false, negated: true });
    expect(ctx['b']).toMatchObject({ conditional: true, negated: true });
    expect(ctx['c']).toMatchObject({ conditional: true });
    expect(ctx['c'].negated).toBeUndefined();
  });

  test('if / elif / else arms', () => {
    const src = [
      'if [ "$ENV" = production ]; then',
      '  exec gunicorn proj.wsgi',
      'elif test "$ENV" = staging; then',
      '  exec uwsgi --ini app.ini',
      'else',
      '  exec python manage.py runserver 0.0.0.0:8000',
      'fi',
      'after',
    ].join('\n');
    const s = parseShell(src, F);
    expect(s.errors).toEqual([]);
    expect(names(s)).toEqual([
      '[ ? = production ]',
      'exec gunicorn proj.wsgi',
      'test ? = staging',
      'exec uwsgi --ini app.ini',
      'exec python manage.py runserver 0.0.0.0:8000',
      'after',
    ]);
    const [cond, gun, elifCond, uwsgi, run, after] = s.commands;
    expect(cond.ctx).toEqual({ conditional: false, background: false, pipeline: false, condition: true });
    const id = gun.ctx.branch!.id;
    expect(gun.ctx).toEqual({
      conditional: true,
      background: false,
      pipeline: false,
      condition: false,
      branch: { id, arm: 0, label: 'if [ "$ENV" = production ]' },
    });
    expect(elifCond.ctx).toMatchObject({ condition: true, conditional: true, branch: { id, arm: 1, label: 'elif test "$ENV" = staging' } });
    expect(uwsgi.ctx).toMatchObject({ condition: false, conditional: true, branch: { id, arm: 1, label: 'elif test "$ENV" = staging' } });
    expect(run.ctx).toMatchObject({ conditional: true, branch: { id, arm: 2, label: 'else' } });
    expect(after.ctx).toEqual({ conditional: false, background: false, pipeline: false, condition: false });
    // the test command's words and positions
    expect(cond.words.map((w) => w.raw)).toEqual(['[', '"$ENV"', '=', 'production', ']']);
    expect(at(cond.loc)).toEqual([1, 4, 1, 27]);
  });

  test('case arms and unique branch ids', () => {
    const src = [
      'case "$MODE" in',
      '  prod|production) exec gunicorn app ;;',
      '  (dev) python manage.py runserver ;;',
      '  *) echo "unknown" ;;',
      'esac',
      'if true; then a; fi',
    ].join('\n');
    const s = parseShell(src, F);
    expect(s.errors).toEqual([]);
    const [gun, run, echo, t, a] = s.commands;
    expect(gun.ctx.branch).toEqual({ id: expect.any(Number), arm: 0, label: 'case "$MODE" in prod|production)' });
    expect(run.ctx.branch).toEqual({ id: gun.ctx.branch!.id, arm: 1, label: 'case "$MODE" in dev)' });
    expect(echo.ctx.branch).toEqual({ id: gun.ctx.branch!.id, arm: 2, label: 'case "$MODE" in *)' });
    expect([gun, run, echo].every((c) => c.ctx.conditional)).toBe(true);
    expect(t.ctx.condition).toBe(true);
    expect(a.ctx.branch!.id).not.toBe(gun.ctx.branch!.id);
  });

  test('nested if inside a case arm takes the inner branch', () => {
    const s = parseShell('case $1 in\n web) if [ -n "$DEBUG" ]; then runserver; else gunicorn app; fi ;;\nesac\n', F);
    const run = s.commands.find((c) => argv(c)[0] === 'runserver')!;
    const gun = s.commands.find((c) => argv(c)[0] === 'gunicorn')!;
    expect(run.ctx.branch).toMatchObject({ arm: 0, label: 'if [ -n "$DEBUG" ]' });
    expect(gun.ctx.branch).toMatchObject({ arm: 1, label: 'else' });
    expect(run.ctx.branch!.id).toBe(gun.ctx.branch!.id);
    const cond = s.commands.find((c) => argv(c)[0] === '[')!;
    expect(cond.ctx).toMatchObject({ condition: true, conditional: true, branch: { label: 'case $1 in web)' } });
  });

  test('loops, background, pipelines, subshells, negation', () => {
    const src = [
      'while ! pg_isready -h db; do sleep 1; done',
      'for f in *.sql; do psql -f "$f"; done',
      'celery -A proj worker &',
      'ps aux | grep gunicorn',
      '( cd app && exec gunicorn x )',
      '{ migrate; collect; }',
      'until false; do x; done',
    ].join('\n');
    const s = parseShell(src, F);
    const ctx = (n: string) => s.commands.find((c) => argv(c)[0] === n)!.ctx;
    expect(ctx('pg_isready')).toMatchObject({ condition: true, conditional: false });
    expect(ctx('sleep')).toMatchObject({ condition: false, conditional: true });
    expect(ctx('psql')).toMatchObject({ conditional: true });
    expect(ctx('celery')).toEqual({ conditional: false, background: true, pipeline: false, condition: false });
    expect(ctx('ps')).toMatchObject({ pipeline: true, background: false });
    expect(ctx('grep')).toMatchObject({ pipeline: true });
    expect(ctx('cd')).toMatchObject({ conditional: false });
    expect(ctx('exec')).toMatchObject({ conditional: true });
    expect(ctx('migrate')).toMatchObject({ conditional: false });
    expect(ctx('collect')).toMatchObject({ conditional: false });
    expect(ctx('false')).toMatchObject({ condition: true });
    expect(ctx('x')).toMatchObject({ conditional: true });
  });

  test('a whole list in the background', () => {
    const s = parseShell('migrate && gunicorn app &\nwait\n', F);
    expect(s.commands.map((c) => c.ctx.background)).toEqual([true, true, false]);
  });
});

describe('functions', () => {
  test('bodies go to functions, calls stay commands', () => {
    const src = [
      'start_web() {',
      '  python manage.py migrate',
      '  exec gunicorn "$@"',
      '}',
      'function worker { celery -A proj worker; }',
      'sub() ( cd /x; run )',
      'if [ "$1" = web ]; then start_web --bind 0.0.0.0:8000; fi',
    ].join('\n');
    const s = parseShell(src, F);
    expect(Object.keys(s.functions).sort()).toEqual(['start_web', 'sub', 'worker']);
    expect(names(s.functions.start_web)).toEqual(['python manage.py migrate', 'exec gunicorn ?']);
    expect(s.functions.start_web[1].words[2].parts).toEqual([{ kind: 'var', name: '@' }]);
    expect(s.functions.start_web[1].ctx).toEqual({ conditional: false, background: false, pipeline: false, condition: false });
    expect(at(s.functions.start_web[1].loc)).toEqual([3, 3, 3, 21]);
    expect(names(s.functions.worker)).toEqual(['celery -A proj worker']);
    expect(names(s.functions.sub)).toEqual(['cd /x', 'run']);
    expect(names(s)).toEqual(['[ ? = web ]', 'start_web --bind 0.0.0.0:8000']);
    expect(s.commands[1].ctx.conditional).toBe(true);
  });
});

describe('positions', () => {
  test('base offsets: column shift on the first line only', () => {
    const s = parseShell('gunicorn a \\\n  --bind x\nrun', 'Procfile', { line: 3, column: 6 });
    const [g, r] = s.commands;
    expect(at(g.words[0].loc)).toEqual([3, 6, 3, 14]);
    expect(at(g.words[1].loc)).toEqual([3, 15, 3, 16]);
    expect(at(g.words[2].loc)).toEqual([4, 3, 4, 9]);
    expect(at(g.loc)).toEqual([3, 6, 4, 11]);
    expect(g.text).toBe('gunicorn a --bind x');
    expect(at(r.loc)).toEqual([5, 1, 5, 4]);
    expect(g.loc.file).toBe('Procfile');
  });

  test('non-ASCII text keeps character columns', () => {
    const src = 'echo "héllo wörld 😀" && exec gunicorn app\n# ünïcode\ngunicorn b';
    const s = parseShell(src, F);
    const g = s.commands[1];
    expect(argv(g)).toEqual(['exec', 'gunicorn', 'app']);
    expect(cover(src, g.words[1].loc)).toBe('gunicorn');
    expect(at(g.words[1].loc)).toEqual([1, src.indexOf('gunicorn') + 1, 1, src.indexOf('gunicorn') + 9]);
    expect(staticValue(s.commands[0].words[1])).toBe('héllo wörld 😀');
    expect(at(s.commands[2].loc)).toEqual([3, 1, 3, 11]);
  });

  test('CRLF line endings', () => {
    const src = '#!/bin/sh\r\nset -e\r\nif true; then\r\n  exec gunicorn a \\\r\n   --bind "0.0.0.0:80"\r\nfi\r\n';
    const s = parseShell(src, F);
    expect(s.errors).toEqual([]);
    expect(s.shebang).toBe('sh');
    expect(names(s)).toEqual(['set -e', 'true', 'exec gunicorn a --bind 0.0.0.0:80']);
    const g = s.commands[2];
    expect(at(g.words[1].loc)).toEqual([4, 8, 4, 16]);
    expect(at(g.words[4].loc)).toEqual([5, 11, 5, 23]);
    expect(g.text).toBe('exec gunicorn a --bind "0.0.0.0:80"');
    expect(at(s.commands[0].loc)).toEqual([2, 1, 2, 7]);
  });

  test('a byte-order mark does not shift columns', () => {
    const s = parseShell('\ufeff#!/bin/bash\ngunicorn app', F);
    expect(s.shebang).toBe('bash');
    expect(at(s.commands[0].loc)).toEqual([2, 1, 2, 13]);
  });
});

describe('syntax errors', () => {
  test('an extra fi: error with its position, commands still read', () => {
    const src = 'if true; then\n  exec gunicorn a\nfi fi\necho after\n';
    const s = parseShell(src, F);
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0].message).toBe("shell syntax error near 'fi'");
    expect(at(s.errors[0].loc)).toEqual([3, 4, 3, 6]);
    expect(names(s)).toContain('exec gunicorn a');
    expect(names(s)).toContain('echo after');
  });

  test('a missing fi and an unterminated string are reported as missing', () => {
    const s = parseShell('if true; then\n  echo a\n', F);
    expect(s.errors.map((e) => e.message)).toEqual(["shell syntax error: missing 'fi'"]);
    expect(s.errors[0].loc.line).toBe(3);
    const s2 = parseShell('gunicorn app\necho "unterminated\n', F);
    expect(s2.errors).toEqual([{ message: 'shell syntax error: unterminated " quote', loc: { file: F, line: 2, column: 6, endLine: 2, endColumn: 7 } }]);
    expect(names(s2)[0]).toBe('gunicorn app');
    const s3 = parseShell('echo $(foo\nbar\n', F);
    expect(s3.errors.map((e) => e.message)).toEqual([`shell syntax error: missing ')'`]);
    expect(at(s3.errors[0].loc)).toEqual([3, 1, 3, 1]);
  });

  test('a stray parenthesis', () => {
    const s = parseShell('foo ) bar\necho last\n', F);
    expect(s.errors).toEqual([{ message: "shell syntax error near ')'", loc: { file: F, line: 1, column: 5, endLine: 1, endColumn: 6 } }]);
    expect(names(s)).toEqual(['foo bar', 'echo last']);
  });

  test('commands in a broken case are read as conditional', () => {
    const s = parseShell('case x in\na) runserver\n', F);
    expect(s.errors.length).toBeGreaterThan(0);
    const run = s.commands.find((c) => argv(c)[0] === 'runserver');
    expect(run?.ctx.conditional).toBe(true);
  });

  test('garbage does not throw', () => {
    const junk = '\u0000\u0001 ((( }}} if then fi esac ;; && || `$(\n'.repeat(50);
    const s = parseShell(junk, F);
    expect(s.errors.length).toBeGreaterThan(0);
    expect(s.errors.length).toBeLessThanOrEqual(20);
  });
});

describe('shebang', () => {
  test.each([
    ['#!/bin/sh\n', 'sh'],
    ['#!/usr/bin/env bash\n', 'bash'],
    ['#! /usr/bin/env -S bash -e\n', 'bash'],
    ['#!/usr/local/bin/python3\n', 'python3'],
    ['#!/bin/bash -eu\r\n', 'bash'],
    ['# not a shebang\n', undefined],
    ['echo hi\n#!/bin/sh\n', undefined],
  ])('%j → %s', (src, sh) => {
    expect(parseShell(src, F).shebang).toBe(sh);
  });
});

describe('command text', () => {
  test('continuations are collapsed to one line', () => {
    const s = parseShell('exec gunicorn proj.wsgi \\\n    --workers 3 \\\n    --bind=0.0.0.0:$PORT\nab\\\ncd\n', F);
    expect(s.commands[0].text).toBe('exec gunicorn proj.wsgi --workers 3 --bind=0.0.0.0:$PORT');
  });
});

describe('parseShellWord', () => {
  test('sh -c "…": positions map into the file', () => {
    const src = "exec sh -c 'python manage.py migrate && gunicorn a.wsgi --bind 0.0.0.0:$PORT'\n";
    const outer = parseShell(src, F).commands[0];
    const inner = parseShellWord(outer.words[3])!;
    expect(inner.errors).toEqual([]);
    expect(names(inner)).toEqual(['python manage.py migrate', 'gunicorn a.wsgi --bind ?']);
    const g = inner.commands[1];
    expect(g.ctx.conditional).toBe(true);
    expect(cover(src, g.words[0].loc)).toBe('gunicorn');
    expect(cover(src, g.words[3].loc)).toBe('0.0.0.0:$PORT');
    expect(cover(src, g.loc)).toBe('gunicorn a.wsgi --bind 0.0.0.0:$PORT');
    expect(g.loc.file).toBe(F);
  });

  test('escapes inside the string still map exactly', () => {
    const src = `sh -c "echo \\"hi there\\" && exec gunicorn app"`;
    const w = parseShell(src, F).commands[0].words[2];
    const inner = parseShellWord(w)!;
    expect(names(inner)).toEqual(['echo hi there', 'exec gunicorn app']);
    expect(cover(src, inner.commands[0].words[1].loc)).toBe('\\"hi there\\"');
    expect(cover(src, inner.commands[1].words[1].loc)).toBe('gunicorn');
  });

  test('a single-quoted multi-line script', () => {
    const src = "bash -c '\n  set -e\n  exec gunicorn app\n'";
    const w = parseShell(src, F).commands[0].words[2];
    const inner = parseShellWord(w)!;
    expect(names(inner)).toEqual(['set -e', 'exec gunicorn app']);
    expect(at(inner.commands[1].words[1].loc)).toEqual([3, 8, 3, 16]);
  });

  test('a JSON exec-form element', () => {
    // CMD ["sh", "-c", "gunicorn \"a\" && x"] with the element at line 4, column 18
    const raw = JSON.stringify('gunicorn "a" && x');
    const w = literalWord('gunicorn "a" && x', { file: 'Dockerfile', line: 4, column: 18, endLine: 4, endColumn: 18 + raw.length });
    const inner = parseShellWord(w)!;
    expect(names(inner)).toEqual(['gunicorn a', 'x']);
    expect(at(inner.commands[0].words[0].loc)).toEqual([4, 19, 4, 27]);
    expect(at(inner.commands[0].words[1].loc)).toEqual([4, 28, 4, 33]); // "a" with its escapes: \"a\"
    expect(at(inner.commands[1].words[0].loc)).toEqual([4, 37, 4, 38]);
  });

  test('a word split by Compose rules', () => {
    const text = `sh -c 'python manage.py migrate && gunicorn app'`;
    const { words } = splitShellWords(text, 'compose.yml', { line: 7, column: 14 });
    const inner = parseShellWord(words[2])!;
    expect(names(inner)).toEqual(['python manage.py migrate', 'gunicorn app']);
    expect(at(inner.commands[1].words[0].loc)).toEqual([7, 14 + text.indexOf('gunicorn'), 7, 14 + text.indexOf('gunicorn') + 8]);
  });

  test('unknown quoting: positions stay inside the word', () => {
    const w: Word = {
      raw: '"gunicorn\\\\x app"',
      parts: [{ kind: 'lit', text: 'gunicorn\\\\x app && something-long-enough-to-overflow' }],
      quoted: true,
      loc: { file: F, line: 2, column: 5, endLine: 2, endColumn: 22 },
    };
    const inner = parseShellWord(w)!;
    for (const c of inner.commands) {
      for (const x of c.words) {
        expect(x.loc.line).toBe(2);
        expect(x.loc.column).toBeGreaterThanOrEqual(5);
        expect(x.loc.endColumn).toBeLessThanOrEqual(22);
      }
    }
    expect(inner.commands[0].words[0].loc.column).toBe(6);
  });

  test('a dynamic word gives null', () => {
    const w = parseShell('sh -c "$CMD"', F).commands[0].words[2];
    expect(parseShellWord(w)).toBeNull();
  });
});

describe('a long script', () => {
  // Its CPU time is measured by `npm run bench` (__tests__/bench/parse-shell.bench.ts), not here.
  test('a generated 500-line script: every command found, no error', () => {
    const src = generatedScript(500);
    const s = parseShell(src, F);
    expect(s.errors).toEqual([]);
    expect(s.commands.length).toBeGreaterThan(300);
    const migrate = byName(s, 'python');
    expect(argv(migrate)).toEqual(['python', 'manage.py', 'migrate', '--noinput']);
    expect(migrate.loc.line).toBe(5);
  });
});

describe('robustness', () => {
  test('deep nesting gives an issue, not a crash', () => {
    const deep = '('.repeat(20000) + 'gunicorn app' + ')'.repeat(20000) + '\n';
    const s = parseShell(deep, F);
    expect(s.errors.length + s.commands.length).toBeGreaterThan(0);
    const deepSub = 'echo ' + '$('.repeat(5000) + 'x' + ')'.repeat(5000) + '\n';
    expect(() => parseShell(deepSub, F)).not.toThrow();
  });

  test('made-up (missing) nodes never become empty words', () => {
    for (const src of ['if ; then x; fi\nexec\nfoo=\n$(\n', 'a &&\n', 'case x in\n', 'for in; do', '"$(']) {
      const s = parseShell(src, F);
      for (const c of [...s.commands, ...Object.values(s.functions).flat()]) {
        for (const w of c.words) expect(w.raw).not.toBe('');
      }
      expect(s.errors.length).toBeGreaterThan(0);
    }
  });

  test('an entrypoint handing over to CMD', () => {
    const src = [
      '#!/bin/sh',
      'set -e',
      'if [ "${1#-}" != "$1" ]; then',
      '  set -- gunicorn "$@"',
      'fi',
      'python manage.py collectstatic --noinput',
      'exec "$@"',
    ].join('\n');
    const s = parseShell(src, F);
    expect(s.errors).toEqual([]);
    const exec = s.commands[s.commands.length - 1];
    expect(exec.words.map((w) => w.parts)).toEqual([[{ kind: 'lit', text: 'exec' }], [{ kind: 'var', name: '@' }]]);
    expect(exec.words[1].quoted).toBe(true);
    expect(exec.ctx.conditional).toBe(false);
    const setArgs = s.commands.find((c) => staticValue(c.words[1] ?? c.words[0]) === '--')!;
    expect(setArgs.ctx.conditional).toBe(true);
    const cond = s.commands.find((c) => staticValue(c.words[0]) === '[')!;
    expect(cond.words[1].parts).toEqual([{ kind: 'cmd', text: '${1#-}' }]);
  });
});
