import { annotation, annotations, hiddenAnnotations, workflowCommand } from '../src/report/annotations.js';
import { visibleControls } from '../src/report/escape.js';
import { finding, herokuResult, HOSTILE, result, runnerCommands } from './report-factory.js';

describe('annotations', () => {
  test('DPL101 on the Procfile line: file, line, col, end, title = id + name', () => {
    const [line] = annotations(herokuResult());
    expect(line.startsWith('::error file=Procfile,line=1,endLine=1,col=6,endColumn=46,title=DPL101 runserver-in-production::')).toBe(true);
    const [cmd] = runnerCommands(line);
    expect(cmd.command).toBe('error');
    expect(cmd.properties).toEqual({ file: 'Procfile', line: '1', endLine: '1', col: '6', endColumn: '46', title: 'DPL101 runserver-in-production' });
    expect(cmd.data).toBe(
      '`python manage.py runserver` is the development server and serves this production target\nFix: run gunicorn: `web: gunicorn proj.wsgi --log-file -`',
    );
  });

  test('severity picks the command; notice stays notice', () => {
    expect(annotation(finding({ severity: 'warning' }))).toMatch(/^::warning /);
    expect(annotation(finding({ severity: 'notice' }))).toMatch(/^::notice /);
  });

  test('a multi-line span has no columns (GitHub drops them otherwise)', () => {
    const [cmd] = runnerCommands(annotation(finding({ line: 3, endLine: 5, column: 2, endColumn: 4 })));
    expect(cmd.properties.line).toBe('3');
    expect(cmd.properties.endLine).toBe('5');
    expect(cmd.properties.col).toBeUndefined();
    expect(cmd.properties.endColumn).toBeUndefined();
  });

  test('the scanned root is prefixed so the file is found from the workspace', () => {
    const [cmd] = runnerCommands(annotation(finding({ via: [{ file: 'bin/web', line: 4 }] }), { prefix: 'services/api' }));
    expect(cmd.properties.file).toBe('services/api/Procfile');
    expect(cmd.data).toContain('via services/api/bin/web:4');
  });

  test('a finding without a file has only a title', () => {
    const [cmd] = runnerCommands(annotation(finding({ file: '', line: 0, column: 0, endLine: 0, endColumn: 0 })));
    expect(cmd.properties).toEqual({ title: 'DPL101 runserver-in-production' });
  });

  test.each(HOSTILE)('hostile file name and message %j produce exactly one annotation, read back intact (controls shown)', (s) => {
    const f = finding({ file: `dir/${s}`, message: `runs ${s}`, fix: s, via: [{ file: s, line: 2 }] });
    const line = annotation(f);
    expect(line.split(/\r\n|\n|\r/)).toHaveLength(1);
    const cmds = runnerCommands(line);
    expect(cmds).toHaveLength(1);
    // Line breaks the runner encodes come back; other controls are shown, never raw.
    const v = visibleControls(s);
    expect(cmds[0].properties.file).toBe(`dir/${v}`);
    expect(cmds[0].data.startsWith(`runs ${v}\nvia ${v}:2\nFix: ${v}`)).toBe(true);
    // eslint-disable-next-line no-control-regex -- the test looks for raw controls
    expect(line).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  });

  test('workflowCommand skips empty properties', () => {
    expect(workflowCommand('notice', { title: '' }, 'x')).toBe('::notice::x');
  });

  test('hiddenAnnotations counts what GitHub will not show (10 per severity)', () => {
    const r = result([...Array(12)].map(() => finding()).concat([...Array(10)].map(() => finding({ severity: 'warning' })), [finding({ severity: 'notice' })]));
    expect(hiddenAnnotations(r)).toEqual({ error: 2, warning: 0, notice: 0 });
  });
});
