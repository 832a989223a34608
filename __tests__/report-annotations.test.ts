import { annotation, annotations, hiddenAnnotations, workflowCommand } from '../src/report/annotations.js';
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

  test.each(HOSTILE)('hostile file name and message %j produce exactly one annotation, read back intact', (s) => {
    const f = finding({ file: `dir/${s}`, message: `runs ${s}`, fix: s, via: [{ file: s, line: 2 }] });
    const line = annotation(f);
    expect(line.split(/\r\n|\n|\r/)).toHaveLength(1);
    const cmds = runnerCommands(line);
    expect(cmds).toHaveLength(1);
    expect(cmds[0].properties.file).toBe(`dir/${s}`);
    expect(cmds[0].data.startsWith(`runs ${s}\nvia ${s}:2\nFix: ${s}`)).toBe(true);
  });

  test('workflowCommand skips empty properties', () => {
    expect(workflowCommand('notice', { title: '' }, 'x')).toBe('::notice::x');
  });

  test('hiddenAnnotations counts what GitHub will not show (10 per severity)', () => {
    const r = result([...Array(12)].map(() => finding()).concat([...Array(10)].map(() => finding({ severity: 'warning' })), [finding({ severity: 'notice' })]));
    expect(hiddenAnnotations(r)).toEqual({ error: 2, warning: 0, notice: 0 });
  });
});
