import { literalWord, splitShellWords, splitSystemdCommand } from '../src/parse/argv.js';
import { loadGrammars } from '../src/parse/treesitter.js';
import { expandWord, parseShellWord, staticValue } from '../src/parse/shell.js';
import type { Location } from '../src/core/location.js';
import type { Word } from '../src/core/words.js';

const at = (l: Location) => [l.line, l.column, l.endLine, l.endColumn];
const values = (ws: Word[]) => ws.map((w) => staticValue(w) ?? '?');
const BASE = { line: 5, column: 14 };

describe('splitShellWords (Docker Compose command strings)', () => {
  test('plain words with positions', () => {
    const text = 'gunicorn proj.wsgi:application --bind 0.0.0.0:8000';
    const { words, error } = splitShellWords(text, 'docker-compose.yml', BASE);
    expect(error).toBeUndefined();
    expect(values(words)).toEqual(['gunicorn', 'proj.wsgi:application', '--bind', '0.0.0.0:8000']);
    expect(words.map((w) => w.raw)).toEqual(['gunicorn', 'proj.wsgi:application', '--bind', '0.0.0.0:8000']);
    expect(at(words[1].loc)).toEqual([5, 23, 5, 44]);
    expect(words[1].loc.file).toBe('docker-compose.yml');
    expect(words.every((w) => !w.quoted)).toBe(true);
  });

  test.each<[string, string[]]>([
    ['a  b\tc', ['a', 'b', 'c']],
    [`sh -c "python manage.py migrate && gunicorn x"`, ['sh', '-c', 'python manage.py migrate && gunicorn x']],
    [`sh -c 'a "b" c'`, ['sh', '-c', 'a "b" c']],
    [`--opt="a b"`, ['--opt=a b']],
    [`a"b c"'d e'f`, ['ab cd ef']],
    ['a\\ b', ['a b']],
    [`"a\\"b"`, ['a"b']],
    [`"a\\qb"`, ['aqb']], // go-shellwords drops a backslash before any character in double quotes
    [`'a\\b'`, ['a\\b']],
    ['x\\ty\\n', ['x\ty\n']],
    [`foo "" bar ''`, ['foo', '', 'bar', '']],
    ['echo $$HOME', ['echo', '$HOME']],
    ['echo $(date +%s)', ['echo', '$(date +%s)']],
    ['echo `date +%s`', ['echo', '`date +%s`']],
    ['  lead trail  ', ['lead', 'trail']],
    ['', []],
  ])('%s', (text, expected) => {
    const { words, error } = splitShellWords(text, 'c.yml', { line: 1, column: 1 });
    expect(error).toBeUndefined();
    expect(values(words)).toEqual(expected);
  });

  test('quoted marks a word that is one quoted string', () => {
    const { words } = splitShellWords(`"a b" 'c' x"y" "$V"`, 'c.yml', BASE);
    expect(words.map((w) => w.quoted)).toEqual([true, true, false, true]);
    expect(words.map((w) => w.raw)).toEqual(['"a b"', "'c'", 'x"y"', '"$V"']);
    expect(at(words[2].loc)).toEqual([5, 24, 5, 28]);
  });

  test('Compose interpolation: $VAR, ${VAR}, ${VAR:-default}, even in single quotes', () => {
    const { words } = splitShellWords(`gunicorn --bind 0.0.0.0:\${PORT:-8000} -w $WORKERS '$X' \${A}b`, 'c.yml', BASE);
    expect(words[2].parts).toEqual([
      { kind: 'lit', text: '0.0.0.0:' },
      {
        kind: 'var',
        name: 'PORT',
        op: ':-',
        arg: expect.objectContaining({ raw: '8000', parts: [{ kind: 'lit', text: '8000' }] }),
      },
    ]);
    expect(expandWord(words[2], {})).toBe('0.0.0.0:8000');
    expect(words[4].parts).toEqual([{ kind: 'var', name: 'WORKERS' }]);
    expect(words[5].parts).toEqual([{ kind: 'var', name: 'X' }]);
    expect(words[5].quoted).toBe(true);
    expect(words[6].parts).toEqual([{ kind: 'var', name: 'A' }, { kind: 'lit', text: 'b' }]);
    const arg = (words[2].parts[1] as { arg: Word }).arg;
    expect(at(arg.loc)).toEqual([5, 14 + 'gunicorn --bind 0.0.0.0:${PORT:-'.length, 5, 14 + 'gunicorn --bind 0.0.0.0:${PORT:-8000'.length]);
  });

  test.each<[string, string]>([
    ['${X-d}', '-'],
    ['${X:?err}', ':?'],
    ['${X?err}', '?'],
    ['${X:+alt}', ':+'],
    ['${X+alt}', '+'],
  ])('operator in %s', (text, op) => {
    const { words } = splitShellWords(text, 'c.yml', BASE);
    expect(words[0].parts[0]).toMatchObject({ kind: 'var', name: 'X', op });
  });

  test('a nested default', () => {
    const { words } = splitShellWords('${A:-${B:-c}}', 'c.yml', BASE);
    expect(expandWord(words[0], {})).toBe('c');
    expect(expandWord(words[0], { B: 'b' })).toBe('b');
    expect(expandWord(words[0], { A: 'a' })).toBe('a');
  });

  test('an operator ends the command: go-shellwords drops the rest', () => {
    const text = 'python manage.py migrate && gunicorn x';
    const { words, error } = splitShellWords(text, 'c.yml', BASE);
    expect(values(words)).toEqual(['python', 'manage.py', 'migrate']);
    expect(error!.message).toMatch(/stops at '&&'/);
    expect(at(error!.loc)).toEqual([5, 14 + 25, 5, 14 + 27]);
  });

  test('a redirection ends the command too, without its descriptor', () => {
    const { words, error } = splitShellWords('gunicorn app 2>/dev/null', 'c.yml', { line: 1, column: 1 });
    expect(values(words)).toEqual(['gunicorn', 'app']);
    expect(error!.message).toMatch(/stops at '>'/);
    expect(at(error!.loc)).toEqual([1, 14, 1, 16]);
  });

  test('quoted operators are words', () => {
    const { words, error } = splitShellWords(`sh -c "a && b | c > d; e"`, 'c.yml', BASE);
    expect(error).toBeUndefined();
    expect(values(words)).toEqual(['sh', '-c', 'a && b | c > d; e']);
  });

  test.each<[string, RegExp, number[]]>([
    ['echo "abc', /unterminated " quote/, [1, 6, 1, 7]],
    ["echo 'abc", /unterminated ' quote/, [1, 6, 1, 7]],
    ['echo `abc', /unterminated backquote/, [1, 6, 1, 7]],
    ['echo abc\\', /trailing backslash/, [1, 9, 1, 10]],
    ['echo (x)', /unexpected '\('/, [1, 6, 1, 7]],
    ['echo x)', /unexpected '\)'/, [1, 7, 1, 8]],
  ])('error: %s', (text, message, loc) => {
    const { error } = splitShellWords(text, 'c.yml', { line: 1, column: 1 });
    expect(error!.message).toMatch(message);
    expect(at(error!.loc)).toEqual(loc);
  });

  test('multi-line text: later lines start at column 1', () => {
    const { words } = splitShellWords('gunicorn\n  --bind x', 'c.yml', BASE);
    expect(at(words[0].loc)).toEqual([5, 14, 5, 22]);
    expect(at(words[1].loc)).toEqual([6, 3, 6, 9]);
  });

  test('static words map exactly through parseShellWord, escapes included', async () => {
    await loadGrammars(['bash']);
    const text = `sh -c "echo \\"x y\\" && exec gunicorn app"`;
    const { words } = splitShellWords(text, 'c.yml', BASE);
    const inner = parseShellWord(words[2])!;
    expect(inner.commands.map((c) => values(c.words).join(' '))).toEqual(['echo x y', 'exec gunicorn app']);
    const gun = inner.commands[1].words[1];
    expect(at(gun.loc)).toEqual([5, 14 + text.indexOf('gunicorn'), 5, 14 + text.indexOf('gunicorn') + 8]);
    const quotedArg = inner.commands[0].words[1];
    expect(at(quotedArg.loc)).toEqual([5, 14 + text.indexOf('\\"x'), 5, 14 + text.indexOf('y\\"') + 3]);
  });
});

describe('splitSystemdCommand (ExecStart=)', () => {
  const split = (text: string) => splitSystemdCommand(text, 'app.service', BASE);

  test('plain command with positions', () => {
    const text = '/srv/venv/bin/gunicorn --workers 3 --bind unix:/run/gunicorn.sock proj.wsgi:application';
    const { prefixes, words, error } = split(text);
    expect(prefixes).toBe('');
    expect(error).toBeUndefined();
    expect(values(words)).toEqual(['/srv/venv/bin/gunicorn', '--workers', '3', '--bind', 'unix:/run/gunicorn.sock', 'proj.wsgi:application']);
    expect(at(words[0].loc)).toEqual([5, 14, 5, 36]);
    expect(at(words[5].loc)).toEqual([5, 14 + text.indexOf('proj'), 5, 14 + text.length]);
    expect(words[5].raw).toBe('proj.wsgi:application');
  });

  test.each<[string, string, string]>([
    ['-/usr/bin/true', '-', '/usr/bin/true'],
    ['@/bin/gunicorn gunicorn-main app', '@', '/bin/gunicorn'],
    ['!!/bin/x', '!!', '/bin/x'],
    ['+-/bin/x', '+-', '/bin/x'],
    [':/bin/x', ':', '/bin/x'],
    ['  -@/bin/x', '-@', '/bin/x'],
  ])('prefixes of %s', (text, prefixes, argv0) => {
    const r = split(text);
    expect(r.prefixes).toBe(prefixes);
    expect(staticValue(r.words[0])).toBe(argv0);
    expect(r.words[0].loc.column).toBe(BASE.column + text.indexOf('/'));
  });

  test('${VAR} anywhere, $VAR only as a whole word, $$ as a dollar', () => {
    const { words } = split('gunicorn --bind=0.0.0.0:${PORT} $OPTS --x=$NOT "$QUOTED" cost=$$5 %i');
    expect(words[1].parts).toEqual([
      { kind: 'lit', text: '--bind=0.0.0.0:' },
      { kind: 'var', name: 'PORT' },
    ]);
    expect(words[2].parts).toEqual([{ kind: 'var', name: 'OPTS' }]);
    expect(words[3].parts).toEqual([{ kind: 'lit', text: '--x=$NOT' }]);
    expect(words[4].parts).toEqual([{ kind: 'var', name: 'QUOTED' }]);
    expect(words[4].quoted).toBe(true);
    expect(staticValue(words[5])).toBe('cost=$5');
    expect(staticValue(words[6])).toBe('%i');
    expect(expandWord(words[1], { PORT: '8000' })).toBe('--bind=0.0.0.0:8000');
  });

  test.each<[string, string[]]>([
    [`/bin/sh -c 'exec gunicorn "a b"'`, ['/bin/sh', '-c', 'exec gunicorn "a b"']],
    [`/bin/echo "a\\"b" 'c d'`, ['/bin/echo', 'a"b', 'c d']],
    ['/bin/echo \\x41\\s\\t', ['/bin/echo', 'A \t']],
    ['/bin/echo a\\db', ['/bin/echo', 'a\\db']], // unknown escapes are kept
    ['/bin/echo a"b c"d', ['/bin/echo', 'ab cd']],
    ['/bin/echo \\;', ['/bin/echo', ';']],
    ['/bin/echo ""', ['/bin/echo', '']],
    ['', []],
  ])('%s', (text, expected) => {
    const r = split(text);
    expect(r.error).toBeUndefined();
    expect(values(r.words)).toEqual(expected);
  });

  test('a lone ; ends the first command', () => {
    const { words, error } = split('/bin/a x ; /bin/b');
    expect(values(words)).toEqual(['/bin/a', 'x']);
    expect(error!.message).toMatch(/only the first one is read/);
    expect(at(error!.loc)).toEqual([5, 23, 5, 24]);
  });

  test('an unterminated quote', () => {
    const { words, error } = split(`/bin/sh -c 'exec gunicorn`);
    expect(error!.message).toMatch(/unterminated ' quote/);
    expect(at(error!.loc)).toEqual([5, 25, 5, 26]);
    expect(values(words)).toEqual(['/bin/sh', '-c', 'exec gunicorn']);
  });

  test('backslash-newline continues the line', () => {
    const { words } = split('/bin/gunicorn \\\n    --bind x \\\r\n  app');
    expect(values(words)).toEqual(['/bin/gunicorn', '--bind', 'x', 'app']);
    expect(at(words[1].loc)).toEqual([6, 5, 6, 11]);
    expect(at(words[3].loc)).toEqual([7, 3, 7, 6]);
  });

  test('a quoted shell command maps exactly through parseShellWord', async () => {
    await loadGrammars(['bash']);
    const text = `/bin/sh -c 'cd /srv && exec gunicorn app'`;
    const { words } = split(text);
    const inner = parseShellWord(words[2])!;
    expect(inner.commands.map((c) => values(c.words).join(' '))).toEqual(['cd /srv', 'exec gunicorn app']);
    expect(at(inner.commands[1].words[1].loc)).toEqual([5, 14 + text.indexOf('gunicorn'), 5, 14 + text.indexOf('gunicorn') + 8]);
  });
});

describe('literalWord', () => {
  test('a JSON element whose location includes the quotes', () => {
    const loc = { file: 'Dockerfile', line: 3, column: 6, endLine: 3, endColumn: 16 };
    const w = literalWord('gunicorn', loc);
    expect(w).toEqual({ raw: '"gunicorn"', parts: [{ kind: 'lit', text: 'gunicorn' }], quoted: true, loc });
  });

  test('a location of the bare value', () => {
    const loc = { file: 'compose.yml', line: 3, column: 9, endLine: 3, endColumn: 17 };
    const w = literalWord('gunicorn', loc);
    expect(w).toEqual({ raw: 'gunicorn', parts: [{ kind: 'lit', text: 'gunicorn' }], quoted: false, loc });
    expect(staticValue(w)).toBe('gunicorn');
  });

  test('never split nor expanded; empty value', () => {
    const loc = { file: 'Dockerfile', line: 1, column: 1, endLine: 1, endColumn: 20 };
    expect(literalWord('a b $X *', loc).parts).toEqual([{ kind: 'lit', text: 'a b $X *' }]);
    expect(literalWord('', loc).parts).toEqual([]);
    expect(staticValue(literalWord('', loc))).toBe('');
  });
});
