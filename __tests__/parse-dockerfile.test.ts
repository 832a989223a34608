import { expandDockerWord, parseDockerfile, type DfCommandForm } from '../src/parse/dockerfile.js';
import type { Location } from '../src/core/location.js';

const F = 'docker/Dockerfile';

/** The source text covered by a span. */
function src(text: string, l: Location): string {
  const lines = text.split(/\r\n|\n/);
  if (l.line === l.endLine) return lines[l.line - 1].slice(l.column - 1, l.endColumn - 1);
  return [lines[l.line - 1].slice(l.column - 1), ...lines.slice(l.line, l.endLine - 1), lines[l.endLine - 1].slice(0, l.endColumn - 1)].join('\n');
}

function exec(f: DfCommandForm | null | undefined): string[] {
  if (!f || f.form !== 'exec') throw new Error(`expected exec form, got ${f?.form}`);
  return f.words.map((w) => (w.parts[0] as { text: string }).text);
}

const MULTI = [
  'ARG PYTHON=3.12', // 1
  'FROM python:${PYTHON}-slim AS Build', // 2
  'ENV APP_HOME=/srv/app \\', // 3
  '    PIP_NO_CACHE_DIR=1', // 4
  'WORKDIR $APP_HOME', // 5
  'COPY requirements.txt .', // 6
  'RUN pip install -r requirements.txt \\', // 7
  '    && pip install gunicorn', // 8
  'FROM build AS final', // 9
  'WORKDIR src', // 10
  'COPY --from=build --chown=app:app --link ["a b", "c", "./"]', // 11
  'CMD ["gunicorn", "--bind", "0.0.0.0:8000", "proj.wsgi:application"]', // 12
].join('\n');

describe('parseDockerfile: stages', () => {
  const r = parseDockerfile(MULTI, F);

  test('no issues, global ARG, stage names lower-cased, FROM substitution and parent stage', () => {
    expect(r.issues).toEqual([]);
    expect(r.escapeChar).toBe('\\');
    expect(r.globalArgs).toEqual([{ name: 'PYTHON', value: '3.12', loc: { file: F, line: 1, column: 5, endLine: 1, endColumn: 16 } }]);
    expect(r.stages.map((s) => [s.index, s.name, s.from.image, s.parent])).toEqual([
      [0, 'build', 'python:3.12-slim', null],
      [1, 'final', 'build', 0],
    ]);
    expect(r.stages[0].from.raw).toBe('python:${PYTHON}-slim');
    expect(r.stages[0].from.loc).toEqual({ file: F, line: 2, column: 6, endLine: 2, endColumn: 27 });
    expect(r.stages[0].instructions.map((i) => i.keyword)).toEqual(['FROM', 'ENV', 'WORKDIR', 'COPY', 'RUN']);
  });

  test('exec-form CMD on line 12: each word spans its JSON string, quotes included', () => {
    const cmd = r.stages[1].cmd!;
    expect(exec(cmd)).toEqual(['gunicorn', '--bind', '0.0.0.0:8000', 'proj.wsgi:application']);
    expect(cmd.instr.keyword).toBe('CMD');
    expect(cmd.instr.loc).toEqual({ file: F, line: 12, column: 1, endLine: 12, endColumn: 68 });
    if (cmd.form !== 'exec') throw new Error('exec');
    const w = cmd.words[3];
    expect(w.loc).toEqual({ file: F, line: 12, column: 44, endLine: 12, endColumn: 67 });
    expect(w.raw).toBe('"proj.wsgi:application"');
    expect(src(MULTI, w.loc)).toBe(w.raw);
    expect(w.quoted).toBe(false);
    expect(cmd.words.map((x) => src(MULTI, x.loc))).toEqual(cmd.words.map((x) => x.raw));
  });

  test('ENV (several per instruction, continued) and WORKDIR resolution with $VAR and inheritance', () => {
    const [b, f] = r.stages;
    expect(b.env.map((e) => [e.name, e.value, e.loc.line])).toEqual([
      ['APP_HOME', '/srv/app', 3],
      ['PIP_NO_CACHE_DIR', '1', 4],
    ]);
    expect(b.workdirs.map((w) => [w.path, w.raw])).toEqual([['/srv/app', '$APP_HOME']]);
    expect(b.workdirs[0].loc).toEqual({ file: F, line: 5, column: 9, endLine: 5, endColumn: 18 });
    // FROM build: starts from the parent's WORKDIR; a relative WORKDIR is joined to it.
    expect(f.workdirs.map((w) => w.path)).toEqual(['/srv/app/src']);
  });

  test('COPY: JSON form with flags, several sources, positions', () => {
    const [c] = r.stages[1].copies;
    expect(c.keyword).toBe('COPY');
    expect(c.sources.map((x) => x.value)).toEqual(['a b', 'c']);
    expect(c.dest.value).toBe('./');
    expect(c.from).toBe('build');
    expect(c.chown).toBe('app:app');
    expect(c.chmod).toBeNull();
    expect(c.link).toBe(true);
    expect(c.sources[0].loc).toEqual({ file: F, line: 11, column: 43, endLine: 11, endColumn: 48 });
    expect(src(MULTI, c.dest.loc)).toBe('"./"');
    expect(c.instr.flags.from).toEqual({ value: 'build', loc: { file: F, line: 11, column: 6, endLine: 11, endColumn: 18 } });
    const [c0] = r.stages[0].copies;
    expect(c0.sources.map((x) => x.value)).toEqual(['requirements.txt']);
    expect(c0.dest).toEqual({ value: '.', loc: { file: F, line: 6, column: 23, endLine: 6, endColumn: 24 } });
    expect(c0.from).toBeNull();
    expect(c0.link).toBe(false);
  });

  test('shell-form RUN keeps the raw text with continuations; base is where text[0] sits', () => {
    const [run] = r.stages[0].runs;
    if (run.form !== 'shell') throw new Error('shell');
    expect(run.text).toBe('pip install -r requirements.txt \\\n    && pip install gunicorn');
    expect(run.base).toEqual({ line: 7, column: 5 });
    expect(run.loc).toEqual({ file: F, line: 7, column: 5, endLine: 8, endColumn: 28 });
    expect(src(MULTI, run.loc)).toBe(run.text);
    expect(run.heredocs).toEqual([]);
  });
});

describe('parseDockerfile: command forms', () => {
  test.each([
    ['exec', 'CMD ["gunicorn", "proj.wsgi"]', 'exec'],
    ['invalid JSON is shell form (as Docker)', 'CMD [bad json', 'shell'],
    ['single quotes are not JSON', "CMD ['gunicorn', 'proj.wsgi']", 'shell'],
    ['non-string element', 'CMD ["sleep", 5]', 'shell'],
    ['trailing text after the array', 'CMD ["a"] b', 'shell'],
    ['empty array', 'CMD []', 'exec'],
  ])('%s', (_label, line, form) => {
    const r = parseDockerfile(`FROM python\n${line}\n`, F);
    expect(r.issues).toEqual([]);
    const cmd = r.stages[0].cmd!;
    expect(cmd.form).toBe(form);
    if (cmd.form === 'shell') {
      expect(cmd.text).toBe(line.slice(4));
      expect(cmd.base).toEqual({ line: 2, column: 5 });
    }
  });

  test('exec form across a continuation line, JSON escapes decoded', () => {
    const text = 'FROM python\nENTRYPOINT ["/bin/sh", \\\n  "-c", "echo \\"hi\\""]\n';
    const r = parseDockerfile(text, F);
    const ep = r.stages[0].entrypoint!;
    expect(exec(ep)).toEqual(['/bin/sh', '-c', 'echo "hi"']);
    if (ep.form !== 'exec') throw new Error('exec');
    expect(ep.words[1].loc).toEqual({ file: F, line: 3, column: 3, endLine: 3, endColumn: 7 });
    expect(ep.words[2].raw).toBe('"echo \\"hi\\""');
    expect(src(text, ep.words[2].loc)).toBe(ep.words[2].raw);
  });

  test('CMD keeps the last one of the stage; RUN flags are not part of the command', () => {
    const text = 'FROM python\nCMD ["a"]\nRUN --mount=type=cache,target=/root/.cache pip install gunicorn\nCMD ["b"]\n';
    const st = parseDockerfile(text, F).stages[0];
    expect(exec(st.cmd)).toEqual(['b']);
    expect(st.cmd!.instr.loc.line).toBe(4);
    const run = st.runs[0];
    if (run.form !== 'shell') throw new Error('shell');
    expect(run.text).toBe('pip install gunicorn');
    expect(run.base).toEqual({ line: 3, column: 44 });
    expect(run.instr.flags.mount.value).toBe('type=cache,target=/root/.cache');
  });

  test('a comment line inside a continuation is blanked (Docker drops it), positions kept', () => {
    const text = 'FROM python\nRUN pip install \\\n  # gunicorn is needed\n  gunicorn\n';
    const run = parseDockerfile(text, F).stages[0].runs[0];
    if (run.form !== 'shell') throw new Error('shell');
    const lines = run.text.split('\n');
    expect(lines).toEqual(['pip install \\', ' '.repeat(21) + '\\', '  gunicorn']);
    expect(run.text.length).toBe(src(text, run.loc).length);
  });

  test('CRLF: carriage returns become blanks so continuations still read as such', () => {
    const text = 'FROM python\r\nRUN pip install \\\r\n  gunicorn\r\nCMD ["gunicorn", \\\r\n "proj.wsgi"]\r\n';
    const r = parseDockerfile(text, F);
    expect(r.issues).toEqual([]);
    const st = r.stages[0];
    const run = st.runs[0];
    if (run.form !== 'shell') throw new Error('shell');
    expect(run.text).toBe('pip install  \\\n  gunicorn');
    expect(run.loc).toMatchObject({ line: 2, column: 5, endLine: 3, endColumn: 11 });
    expect(exec(st.cmd)).toEqual(['gunicorn', 'proj.wsgi']);
    if (st.cmd!.form !== 'exec') throw new Error('exec');
    expect(st.cmd!.words[1].loc).toEqual({ file: F, line: 5, column: 2, endLine: 5, endColumn: 13 });
  });

  test('# escape=` directive: backtick continuations', () => {
    const text = '# escape=`\nFROM python\nRUN pip install `\n  gunicorn\nWORKDIR /app\n';
    const r = parseDockerfile(text, F);
    expect(r.issues).toEqual([]);
    expect(r.escapeChar).toBe('`');
    const run = r.stages[0].runs[0];
    if (run.form !== 'shell') throw new Error('shell');
    expect(run.text).toBe('pip install \\\n  gunicorn');
    expect(r.stages[0].workdirs[0].path).toBe('/app');
  });

  test('heredoc RUN keeps the text and exposes the heredoc content', () => {
    const text = ['FROM python', 'RUN <<EOF', 'set -e', 'python manage.py collectstatic --noinput', 'EOF', 'CMD ["gunicorn"]'].join('\n');
    const r = parseDockerfile(text, F);
    expect(r.issues).toEqual([]);
    const st = r.stages[0];
    const run = st.runs[0];
    if (run.form !== 'shell') throw new Error('shell');
    expect(run.text).toBe('<<EOF\nset -e\npython manage.py collectstatic --noinput\nEOF');
    expect(run.heredocs).toHaveLength(1);
    const h = run.heredocs[0];
    expect(h.name).toBe('EOF');
    expect(h.text).toBe('set -e\npython manage.py collectstatic --noinput');
    expect(h.base).toEqual({ line: 3, column: 1 });
    expect(h.stripTabs).toBe(false);
    expect(exec(st.cmd)).toEqual(['gunicorn']);
  });

  test('COPY heredoc creates a file: source is the heredoc, content exposed', () => {
    const text = ['FROM python', 'COPY --chmod=755 <<EOT /start.sh', '#!/bin/sh', 'exec gunicorn proj.wsgi', 'EOT'].join('\n');
    const r = parseDockerfile(text, F);
    expect(r.issues).toEqual([]);
    const [c] = r.stages[0].copies;
    expect(c.sources.map((x) => x.value)).toEqual(['<<EOT']);
    expect(c.dest.value).toBe('/start.sh');
    expect(c.chmod).toBe('755');
    expect(c.heredocs[0].text).toBe('#!/bin/sh\nexec gunicorn proj.wsgi');
    expect(c.heredocs[0].loc).toMatchObject({ line: 3, column: 1, endLine: 4 });
  });
});

describe('parseDockerfile: ENV, ARG, WORKDIR, USER, SHELL', () => {
  test('ENV forms; values of one ENV see the environment before it', () => {
    const text = [
      'FROM python',
      'ENV A=1 B="two words" C=x\\ y',
      'ENV LEGACY value with spaces',
      'ENV A=2 D=$A E=${A}-${MISSING:-dflt}',
      "ENV F='$A'",
    ].join('\n');
    const st = parseDockerfile(text, F).stages[0];
    expect(st.env.map((e) => [e.name, e.value])).toEqual([
      ['A', '1'],
      ['B', 'two words'],
      ['C', 'x y'],
      ['LEGACY', 'value with spaces'],
      ['A', '2'],
      ['D', '1'],
      ['E', '1-dflt'],
      ['F', '$A'],
    ]);
    expect(st.env[1].loc).toEqual({ file: F, line: 2, column: 9, endLine: 2, endColumn: 22 });
  });

  test('ARG: defaults, global defaults imported into a stage, unknown values left as written', () => {
    const text = ['ARG BASE=/opt', 'FROM python', 'ARG BASE', 'ARG NODEFAULT', 'ARG X=$BASE/x', 'WORKDIR $NODEFAULT/app', 'WORKDIR ${BASE}', 'USER ${U:-django}'].join('\n');
    const st = parseDockerfile(text, F).stages[0];
    expect(st.args.map((a) => [a.name, a.value])).toEqual([
      ['BASE', '/opt'],
      ['NODEFAULT', null],
      ['X', '/opt/x'],
    ]);
    expect(st.workdirs.map((w) => w.path)).toEqual(['/$NODEFAULT/app', '/opt']);
    expect(st.user).toBe('django');
  });

  test('WORKDIR: relative joins, .. and trailing slashes normalised; a new image starts at /', () => {
    const text = ['FROM python AS a', 'WORKDIR app/', 'WORKDIR ../srv/./x/', 'FROM python', 'WORKDIR rel'].join('\n');
    const r = parseDockerfile(text, F);
    expect(r.stages[0].workdirs.map((w) => w.path)).toEqual(['/app', '/srv/x']);
    expect(r.stages[1].workdirs.map((w) => w.path)).toEqual(['/rel']);
    expect(r.stages[1].parent).toBeNull();
  });

  test('SHELL JSON form; ONBUILD and other instructions are kept but not interpreted', () => {
    const text = ['FROM python', 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]', 'ONBUILD RUN echo hi', 'EXPOSE 8000', 'from scratch'].join('\n');
    const r = parseDockerfile(text, F);
    expect(r.issues).toEqual([]);
    expect(r.stages[0].shell).toEqual(['/bin/bash', '-o', 'pipefail', '-c']);
    expect(r.stages[0].runs).toEqual([]);
    expect(r.stages[0].instructions.map((i) => i.keyword)).toEqual(['FROM', 'SHELL', 'ONBUILD', 'EXPOSE']);
    expect(r.stages[1].from.image).toBe('scratch');
  });
});

describe('expandDockerWord', () => {
  const scope = (n: string) => ({ A: 'x', E: '', N: null } as Record<string, string | null>)[n];
  test.each([
    ['$A', 'x'],
    ['${A}y', 'xy'],
    ['${E:-d}', 'd'],
    ['${E-d}', ''],
    ['${A:+set}', 'set'],
    ['${E:+set}', ''],
    ['$N', '$N'],
    ['${MISSING}', '${MISSING}'],
    ['\\$A', '$A'],
    ['"$A b"', 'x b'],
    ["'$A b'", '$A b'],
    ['a\\ b', 'a b'],
  ])('%s → %s', (raw, out) => {
    expect(expandDockerWord(raw, scope)).toBe(out);
  });
});

describe('parseDockerfile: malformed input returns issues, never throws', () => {
  test.each([
    ['empty', '', 1, /empty file/],
    ['blank', '\n  \n', 1, /empty file/],
    ['comments only', '# just a comment\n', 1, /no FROM/],
    ['unknown instruction', 'FROM python\nFOO bar\n', 2, /unknown instruction 'FOO'/],
    ['instruction before FROM', 'RUN echo hi\nFROM python\n', 1, /before the first FROM/],
    ['missing arguments', 'FROM python\nWORKDIR\n', 2, /requires at least one argument/],
    ['COPY with one argument', 'FROM python\nCOPY a\n', 2, /source and a destination/],
    ['bad FROM', 'FROM python AS\n', 1, /FROM expects/],
    ['SHELL not JSON', 'FROM python\nSHELL /bin/bash -c\n', 2, /SHELL requires the JSON form/],
    ['unterminated heredoc', 'FROM python\nRUN <<EOF\necho hi\n', 2, /not terminated/],
    ['binary garbage', 'FROM \u0000\u0001\nRUN \uFFFF[[[\n', null, null],
  ])('%s', (_label, text, line, msg) => {
    const r = parseDockerfile(text, F);
    if (msg === null) {
      // Garbage that Docker would still tokenise: one stage, the RUN kept as shell text.
      expect(r.stages).toHaveLength(1);
      expect(r.stages[0].runs[0].form).toBe('shell');
      return;
    }
    expect(r.issues.length).toBeGreaterThanOrEqual(1);
    expect(r.issues[0].message).toMatch(msg);
    expect(r.issues[0].loc.line).toBe(line);
    expect(r.issues[0].loc.file).toBe(F);
  });

  test('an unknown instruction is reported at its keyword', () => {
    const r = parseDockerfile('FROM python\n  FOO bar\n', F);
    expect(r.issues[0].loc).toEqual({ file: F, line: 2, column: 3, endLine: 2, endColumn: 6 });
  });

  test('hostile input stays fast: many unclosed ${', () => {
    const t0 = Date.now();
    const r = parseDockerfile(`FROM x\nENV A=${'${'.repeat(50_000)}\nWORKDIR /\n`, F);
    expect(r.stages[0].env[0].value).toBe('${'.repeat(50_000));
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
