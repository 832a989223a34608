/**
 * Property-based tests of the escaping functions every repository string goes through before it
 * is printed (src/report/escape.ts): whatever the text, the runner can never read a workflow
 * command out of it, the runner's unescaping gives the original back, and Markdown stays inert.
 */
import fc from 'fast-check';
import { escapeData, escapeLog, escapeMarkdown, escapeProperty, mdCode } from '../src/report/escape.js';
import { params, SPECIAL } from './fuzz-helpers.js';

/** Hostile text: workflow-command fragments, line breaks of every kind, Markdown/HTML, junk. */
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...SPECIAL, '::error::', '::set-output name=x::', '##[add-mask]', '%0A', '%25', '<script>', '</code>', '|', '`', '[x](javascript:1)', ':tada:', '@team'), fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 30 })
  .map((a) => a.join(''));

/** The runner's unescaping of command data and properties (actions/runner ActionCommand). */
function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
function unescapeProperty(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

const LINE_BREAKS = /[\r\n\u0085\u2028\u2029\v\f]/;

test('escapeLog: one line, no `::`, no `##[`, no edge `:` — alone or glued to our own punctuation', () => {
  fc.assert(
    fc.property(hostile, (s) => {
      const e = escapeLog(s);
      expect(e).not.toMatch(LINE_BREAKS);
      expect(e).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
      expect(e).not.toContain('::');
      expect(e).not.toContain('##[');
      expect(`${e}:`.includes('::') || `:${e}`.includes('::') || `#${e}`.includes('##[')).toBe(false);
      for (const line of [e, `  ${e}`, `${e}:12:3: error DPL101 ${e}`, `file:${e}:`]) expect(line).not.toMatch(/^\s*::/);
    }),
    params(2000),
  );
});

test('escapeData / escapeProperty: single-line, and the runner unescapes them to the original', () => {
  fc.assert(
    fc.property(hostile, (s) => {
      const d = escapeData(s);
      const p = escapeProperty(s);
      expect(d).not.toMatch(/[\r\n]/);
      expect(p).not.toMatch(/[\r\n:,]/);
      expect(unescapeData(d)).toBe(s);
      expect(unescapeProperty(p)).toBe(s);
    }),
    params(2000),
  );
});

test('escapeMarkdown / mdCode: no HTML, no table pipe, no line break, no Markdown syntax survives', () => {
  fc.assert(
    fc.property(hostile, (s) => {
      for (const raw of [escapeMarkdown(s), mdCode(s).slice('<code>'.length, -'</code>'.length)]) {
        // Syntax characters are numeric entities (`&#60;`); nothing else may be left.
        const m = raw.replace(/&#\d+;/g, '');
        expect(m).not.toMatch(/[<>|`*_[\]()#!~\\$&\n\r]/);
        expect(m).not.toMatch(/:[a-z_]+:/);
        expect(m).not.toMatch(/@\w/);
      }
    }),
    params(2000),
  );
});
