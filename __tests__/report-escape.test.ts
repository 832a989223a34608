import { clip, escapeData, escapeLog, escapeMarkdown, escapeProperty, jsonForLog, mdCode } from '../src/report/escape.js';
import { HOSTILE, runnerCommands } from './report-factory.js';

describe('workflow command escaping', () => {
  test('data: %, CR, LF (and % first, so escapes round-trip)', () => {
    expect(escapeData('50% a\r\nb')).toBe('50%25 a%0D%0Ab');
    expect(escapeData('%0A')).toBe('%250A');
  });

  test('properties also escape : and ,', () => {
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  test('a command built with them is read back exactly by the runner', () => {
    const data = 'multi\nline: 100%, done\r';
    const file = 'dir,with:colons/%0A\nname';
    const [cmd] = runnerCommands(`::error file=${escapeProperty(file)},line=3::${escapeData(data)}`);
    expect(cmd.command).toBe('error');
    expect(cmd.properties.file).toBe(file);
    expect(cmd.properties.line).toBe('3');
    expect(cmd.data).toBe(data);
  });
});

describe('escapeLog (the one function for repo text in logs)', () => {
  test.each(HOSTILE)('%j cannot issue a command, alone or glued to our punctuation', (s) => {
    const e = escapeLog(s);
    expect(e).not.toMatch(/[\r\n\u2028\u2029\u0085]/);
    for (const line of [e, `${e}:1:2: error`, `  ${e}`, `x: ${e}`, `${e}:${e}`, `${e}[x]`]) {
      expect(runnerCommands(line)).toEqual([]);
    }
  });

  test('keeps ordinary text readable', () => {
    expect(escapeLog('gunicorn proj.wsgi:application --bind 0.0.0.0:$PORT')).toBe('gunicorn proj.wsgi:application --bind 0.0.0.0:$PORT');
    expect(escapeLog('docker/start.sh')).toBe('docker/start.sh');
    expect(escapeLog('café # comment')).toBe('café # comment');
  });

  test('shows control characters and bidi overrides as escapes', () => {
    expect(escapeLog('a\nb\rc\x1b[31m')).toBe('a%0Ab%0Dc%1B[31m');
    expect(escapeLog('x\u202Ey')).toBe('x%u202Ey');
    expect(escapeLog('\tTab kept')).toBe('\tTab kept');
    expect(escapeLog('100%')).toBe('100%25');
  });

  test('breaks every ::, leading/trailing colons and #[', () => {
    expect(escapeLog('a::b')).toBe('a:%3Ab');
    expect(escapeLog(':::')).not.toContain('::');
    expect(escapeLog(' :x')).toBe(' %3Ax');
    expect(escapeLog('x:')).toBe('x%3A');
    expect(escapeLog('##[error]x')).toBe('#%23[error]x');
    expect(escapeLog('end#')).toBe('end%23');
  });
});

describe('jsonForLog', () => {
  test('is the same JSON value, with no ##[ and no line starting with ::', () => {
    const value = { a: '##[error]x', b: '::error::y\n::warning::z', c: 'back\\#[slash' };
    const text = jsonForLog(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).not.toContain('##[');
    expect(runnerCommands(text)).toEqual([]);
  });
});

describe('escapeMarkdown', () => {
  test('neutralises Markdown, HTML and table syntax', () => {
    const e = escapeMarkdown('`|<script>alert(1)</script>|` *x* [l](u) $PORT :smile: @me');
    expect(e).not.toMatch(/[`|<>*[\]()$:@]/);
    expect(e).toContain('&#60;script&#62;');
    expect(e).toContain('&#124;');
    expect(e).toContain('&#36;PORT');
  });

  test('line breaks cannot end a table row', () => {
    expect(escapeMarkdown('a\nb\r\nc')).toBe('a%0Ab%0D%0Ac');
  });

  test('mdCode wraps escaped text in <code>', () => {
    expect(mdCode('a|b')).toBe('<code>a&#124;b</code>');
  });

  test('long strings are clipped', () => {
    expect(escapeMarkdown('x'.repeat(1000), 10)).toBe('xxxxxxxxx…');
    expect(clip('😀😀😀', 2)).toBe('😀…');
    expect(clip('short', 10)).toBe('short');
  });
});
