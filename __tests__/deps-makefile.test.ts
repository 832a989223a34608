import { makeCommands, splitShell } from '../src/parse/makefile.js';

describe('splitShell', () => {
  test.each<[string, string[][]]>([
    ['pip install -r a.txt', [['pip', 'install', '-r', 'a.txt']]],
    ['cd x && pip install "gunicorn[gevent]" ; echo ok', [['cd', 'x'], ['pip', 'install', 'gunicorn[gevent]'], ['echo', 'ok']]],
    ["echo 'a && b' || true", [['echo', 'a && b'], ['true']]],
    ['npm ci | tee log  # comment', [['npm', 'ci'], ['tee', 'log']]],
    ['pip install a\\ b ""', [['pip', 'install', 'a b', '']]],
  ])('%s', (text, want) => expect(splitShell(text)).toEqual(want));
});

describe('makeCommands', () => {
  const mk = [
    'VENV = venv',
    'PIP := $(VENV)/bin/pip',
    'OPTS ?= --no-dev',
    '',
    'all: install',
    '',
    'install: deps ## install',
    '\t@$(PIP) install -r requirements.txt',
    '\t-uv sync $(OPTS)',
    '',
    'deps:',
    '\techo $$HOME && \\',
    '\t  $(MAKE) other',
    '',
    'other: ; pip install gunicorn',
    '',
    'bad:',
    '\tpip install $(shell cat x)',
  ].join('\n');

  test('the first target, prerequisites first, variables expanded, $(MAKE) followed', () => {
    const r = makeCommands('Makefile', mk, [], {});
    expect(r.commands.map((c) => [c.words.join(' '), c.loc.line])).toEqual([
      ['echo $HOME', 12],
      ['pip install gunicorn', 15],
      ['venv/bin/pip install -r requirements.txt', 8],
      ['uv sync --no-dev', 9],
    ]);
    expect(r.unknown).toEqual([]);
  });

  test('command-line variables override the file', () => {
    const r = makeCommands('Makefile', mk, ['install'], { OPTS: '--frozen', VENV: '/opt/v' });
    expect(r.commands.map((c) => c.words.join(' '))).toContain('uv sync --frozen');
    expect(r.commands.map((c) => c.words.join(' '))).toContain('/opt/v/bin/pip install -r requirements.txt');
  });

  test('functions and unknown targets are unknown', () => {
    const r = makeCommands('Makefile', mk, ['bad', 'missing'], {});
    expect(r.commands).toEqual([]);
    expect(r.unknown.map((u) => u.loc.line)).toEqual([18, 1]);
    expect(r.unknown[0].message).toMatch(/does not expand/);
    expect(r.unknown[1].message).toMatch(/no rule 'missing'/);
  });
});
