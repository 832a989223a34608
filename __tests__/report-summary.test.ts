import { mdMessage, SUMMARY_LIMIT, toSummary } from '../src/report/summary.js';
import type { RuleMeta } from '../src/rules/types.js';
import { finding, herokuResult, loc, process_, resolved, result, step, target } from './report-factory.js';

const RULES: RuleMeta[] = [
  { id: 'DPL101', name: 'runserver-in-production', severity: 'error', summary: 'manage.py runserver serves a production target.', messages: {} },
  { id: 'DPL105', name: 'dev-option-in-production', severity: 'warning', summary: 'A development option is set in production.', messages: {} },
];

/** Table rows: lines starting with `|`, split on unescaped pipes. */
function rows(md: string): string[][] {
  return md
    .split('\n')
    .filter((l) => l.startsWith('| '))
    .map((l) => l.slice(1, -1).split('|').map((c) => c.trim()));
}

describe('toSummary', () => {
  test('failing Heroku app: verdict first, target row with chain, finding with fix and rule link', () => {
    const md = toSummary(herokuResult(), { rules: RULES, failOn: 'error' });
    const lines = md.split('\n');
    expect(lines[0]).toBe('## ❌ django-deploy-lint: 1 error, 0 warnings, 0 notices');
    expect(md).toContain('The step fails: `fail-on` is `error`.');
    const table = rows(md);
    expect(table[0]).toEqual(['Target', 'Production?', 'Process → server', 'Static files', 'Verdict']);
    const row = table[2];
    expect(row).toHaveLength(5);
    expect(row[0]).toBe('<code>Procfile&#58;1</code><br>procfile');
    expect(row[1]).toBe('yes: a Procfile is run by Heroku, Dokku and Scalingo');
    expect(row[2]).toBe('**web** → runserver<br><code>Procfile&#58;1</code> → runserver');
    expect(row[3]).toBe('collected by the platform: Heroku runs collectstatic at build time');
    expect(row[4]).toBe('❌ 1 error, 0 warnings, 0 notices');
    expect(md).toContain('#### ❌ DPL101 runserver&#45;in&#45;production (1)');
    expect(md).toContain('manage.py runserver serves a production target. [Rule documentation](https://');
    expect(md).toContain('docs/rules/DPL101.md)');
    expect(md).toContain('- <code>Procfile&#58;1&#58;6</code>: <code>python manage.py runserver</code> is the development server');
    expect(md).toContain('**Fix:** run gunicorn&#58; <code>web&#58; gunicorn proj.wsgi &#45;&#45;log&#45;file &#45;</code>');
    expect(md).not.toContain('[!NOTE]');
  });

  test('passing repo: a green verdict and no findings section', () => {
    const t = target({
      id: 'dockerfile:Dockerfile',
      kind: 'dockerfile',
      file: 'Dockerfile',
      line: 9,
      productionReason: 'no development marker',
      processes: [process_('web', 'web', [{ kind: 'gunicorn', app: 'proj.wsgi', text: 'gunicorn proj.wsgi', at: loc('Dockerfile', 9), chain: [step('Dockerfile', 9, 'CMD gunicorn proj.wsgi')] }])],
      collectstatic: resolved('python manage.py collectstatic --noinput', loc('Dockerfile', 7), []),
    });
    const md = toSummary(result([], [t]), { rules: RULES, failOn: 'error' });
    expect(md.split('\n')[0]).toBe('## ✅ django-deploy-lint: no problems');
    expect(md).not.toContain('### Findings');
    const row = rows(md)[2];
    expect(row[2]).toBe('**web** → gunicorn (<code>proj.wsgi</code>)<br><code>Dockerfile&#58;9</code> → gunicorn');
    expect(row[3]).toBe('collectstatic at <code>Dockerfile&#58;7</code>');
    expect(row[4]).toBe('✅ no problems');
  });

  test('warnings only with fail-on error: the step passes', () => {
    const md = toSummary(result([finding({ severity: 'warning', ruleId: 'DPL105', rule: 'dev-option-in-production' })]), { rules: RULES, failOn: 'error' });
    expect(md.split('\n')[0]).toBe('## ⚠️ django-deploy-lint: 0 errors, 1 warning, 0 notices');
    expect(md).toContain('The step passes');
  });

  test('repo text cannot inject Markdown, HTML or table cells', () => {
    const evil = 'x|y`z<script>alert(1)</script>[l](javascript:alert(1))\n| a | b |';
    const t = target({
      id: `procfile:${evil}`,
      kind: 'procfile',
      file: evil,
      productionReason: evil,
      processes: [process_(evil, 'web', [{ kind: 'gunicorn', app: evil, text: evil, at: loc(evil, 1), chain: [step(evil, 1, evil)] }])],
    });
    const f = finding({ target: t.id, file: evil, message: `runs \`${evil}\` and ${evil}`, fix: evil, via: [{ file: evil, line: 2 }] });
    const md = toSummary(result([f], [t]), { rules: RULES, failOn: 'error' });
    expect(md).not.toMatch(/<script/i);
    expect(md).not.toContain('](javascript');
    expect(md).not.toContain('x|y');
    for (const row of rows(md)) expect(row).toHaveLength(5);
    // Everything the repo wrote is still visible (escaped).
    expect(md).toContain('x&#124;y&#96;z&#60;script&#62;');
    // The newline in the repo text did not start a row of its own.
    expect(md).not.toMatch(/^\| a \| b \|/m);
  });

  test('more than 10 annotations of a severity: the summary says so', () => {
    const md = toSummary(result([...Array(13)].map((_, i) => finding({ line: i + 1 }))), { rules: RULES, failOn: 'error' });
    expect(md).toContain('GitHub shows at most 10 error, 10 warning and 10 notice annotations per step: 3 errors are not shown as annotations.');
    expect(md.match(/^- <code>Procfile/gm)).toHaveLength(13);
  });

  test('budget: stays under maxBytes with an honest "N more" count', () => {
    const findings = [...Array(200)].map((_, i) => finding({ line: i + 1, message: `problem ${i} ${'x'.repeat(200)}` }));
    const md = toSummary(result(findings), { rules: RULES, failOn: 'error', maxBytes: 20_000 });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(20_000);
    const shown = md.match(/^- <code>Procfile/gm)?.length ?? 0;
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(200);
    expect(md).toContain(`**… ${200 - shown} more findings not shown**`);
    expect(md).toContain('django-deploy-lint'); // the footer still fits
  });

  test('the default budget keeps a huge report under 1 MiB', () => {
    const findings = [...Array(5000)].map((_, i) => finding({ line: i + 1, message: 'y'.repeat(400) }));
    const md = toSummary(result(findings), { rules: RULES, failOn: 'error' });
    expect(Buffer.byteLength(md)).toBeLessThan(SUMMARY_LIMIT);
    const shown = md.match(/^- <code>Procfile/gm)?.length ?? 0;
    expect(md).toContain(`${5000 - shown} more findings not shown`);
  });

  test('file links when a URL maker is given (only safe URLs)', () => {
    const md = toSummary(herokuResult(), { rules: RULES, failOn: 'error', prefix: 'app', fileUrl: (file, line) => `https://github.com/o/r/blob/abc/${file}#L${line}` });
    expect(md).toContain('[<code>app/Procfile&#58;1&#58;6</code>](https://github.com/o/r/blob/abc/app/Procfile#L1)');
    const bad = toSummary(herokuResult(), { rules: RULES, failOn: 'error', fileUrl: () => 'javascript:alert(1)' });
    expect(bad).not.toContain('javascript');
  });

  test('mdMessage: backtick spans become <code>, an unmatched backtick stays literal', () => {
    expect(mdMessage('run `a|b` now')).toBe('run <code>a&#124;b</code> now');
    expect(mdMessage('one ` only')).toBe('one &#96; only');
  });
});
