/**
 * Messages are one sentence saying what is wrong where; the why (the consequence, the evidence
 * that made the target production, how to silence it) is in the finding's notes, which every
 * format shows under the message. And a chain shows each hop once.
 */

import { toText } from '../src/report/text.js';
import { annotationMessage, annotation } from '../src/report/annotations.js';
import { toJson } from '../src/report/json.js';
import { toSarif } from '../src/report/sarif.js';
import { toSummary } from '../src/report/summary.js';
import { findingBody } from '../src/github/review.js';
import { RULE_LIST, RULES } from '../src/rules/index.js';
import { lint } from '../src/suppress/engine.js';
import { finding, result } from './report-factory.js';
import { tempDir, writeFiles } from './temp-repo.js';

type Any = any;

const NOTES = ['the development server is not built for production', 'Procfile counts as production: a Procfile is what Heroku runs'];
const noted = () => result([finding({ notes: NOTES })]);

describe('notes under the message', () => {
  test('text: one indented `note:` line each, after the chain and before the fix', () => {
    const lines = toText(result([finding({ notes: NOTES, via: [{ file: 'bin/web', line: 3 }] })])).split('\n');
    const head = lines.findIndex((l) => l.startsWith('Procfile:1:6: error DPL101'));
    expect(lines.slice(head + 1, head + 5)).toEqual([
      '    via bin/web:3',
      '    note: the development server is not built for production',
      '    note: Procfile counts as production: a Procfile is what Heroku runs',
      '    fix: run gunicorn: `web: gunicorn proj.wsgi --log-file -`',
    ]);
  });

  test('text: under its target, the production reason is not repeated (the header says it)', async () => {
    const root = writeFiles(tempDir(), { 'manage.py': 'import os\n', 'proj/__init__.py': '', 'proj/wsgi.py': '', Procfile: 'web: python manage.py runserver 0.0.0.0:$PORT\n' });
    const r = await lint(root);
    const f = r.findings.find((x) => x.ruleId === 'DPL101')!;
    expect(f.notes).toContain('Procfile counts as production: a Procfile is what Heroku, Dokku and Scalingo run');
    const text = toText(r);
    expect(text).toContain('Target Procfile:1 (procfile, production: a Procfile is what Heroku, Dokku and Scalingo run)');
    expect(text).not.toContain('note: Procfile counts as production');
    expect(text).toContain('    note: the development server is not built for production');
  });

  test('text: a note is escaped like the message (no workflow command from repository text)', () => {
    const text = toText(result([finding({ notes: ['x\n::error::pwned'] })]));
    expect(text).not.toMatch(/^::error::pwned/m);
    expect(text).toContain('    note: x');
  });

  test('annotation: message, then the notes, then the fix, in one escaped body', () => {
    expect(annotationMessage(noted().findings[0])).toBe(
      [
        '`python manage.py runserver` is the development server and serves this production target',
        'Note: the development server is not built for production',
        'Note: Procfile counts as production: a Procfile is what Heroku runs',
        'Fix: run gunicorn: `web: gunicorn proj.wsgi --log-file -`',
      ].join('\n'),
    );
    expect(annotation(noted().findings[0]).split('\n')).toHaveLength(1);
  });

  test('JSON: a `notes` array when there are notes, absent otherwise', () => {
    expect(toJson(noted()).findings[0].notes).toEqual(NOTES);
    expect(toJson(result([finding()])).findings[0]).not.toHaveProperty('notes');
  });

  test('SARIF: the notes in the message text and in properties.notes', () => {
    const r = (toSarif(noted(), RULES, { version: '1.2.3' }) as Any).runs[0].results[0];
    expect(r.message.text.split('\n')).toEqual([
      '`python manage.py runserver` is the development server and serves this production target',
      `Note: ${NOTES[0]}`,
      `Note: ${NOTES[1]}`,
      'Fix: run gunicorn: `web: gunicorn proj.wsgi --log-file -`',
    ]);
    expect(r.properties).toEqual({ target: 'procfile:Procfile', notes: NOTES });
  });

  test('job summary and review comment: each note on its own line', () => {
    const md = toSummary(noted(), { rules: RULES, failOn: 'error' });
    expect(md).toContain('  <br>the development server is not built for production\n');
    const body = findingBody(noted().findings[0], '', { path: 'Procfile', line: 1, own: true }, '0123456789abcdef');
    expect(body).toContain('\n- the development server is not built for production\n- Procfile counts as production');
  });
});

describe('rule messages are one sentence about what is wrong where', () => {
  const templates = RULE_LIST.flatMap((r) => Object.entries(r.messages as Record<string, string>).map(([id, m]) => [`${r.id}.${id}`, m] as const));

  test.each(templates)('%s', (_id, m) => {
    // No second sentence, no consequence after a colon or semicolon, no production reason, no
    // how-to-silence: those are notes.
    expect(m).not.toMatch(/[.;]\s+\S/);
    expect(m).not.toMatch(/counts as|silence this|\.django-deploy-lint\.yml/);
    expect(m.length).toBeLessThanOrEqual(120);
  });
});

describe('the chain of a finding shows each hop once', () => {
  test('ENTRYPOINT sh -c with a CMD that wraps another sh -c: Dockerfile:5 → Dockerfile:6, never repeated', async () => {
    const root = writeFiles(tempDir(), {
      'manage.py': 'import os\n',
      'proj/__init__.py': '',
      'proj/wsgi.py': '',
      'proj/settings.py': '',
      'requirements.txt': 'django\ngunicorn\n',
      Dockerfile:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nENTRYPOINT ["sh", "-c"]\nCMD ["cd /app && exec sh -c \\"python manage.py runserver 0.0.0.0:8000\\""]\n',
    });
    const r = await lint(root);
    const f = r.findings.find((x) => x.ruleId === 'DPL101');
    expect(f).toBeDefined();
    expect(`${f!.file}:${f!.line}`).toBe('Dockerfile:6');
    expect(f!.via.map((v) => `${v.file}:${v.line}`)).toEqual(['Dockerfile:5']);
    const container = toText(r)
      .split('\n')
      .find((l) => l.trimStart().startsWith('container →'));
    expect(container).toMatch(/ Dockerfile:5 → Dockerfile:6 → runserver$/);

  });
});
