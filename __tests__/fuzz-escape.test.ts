/**
 * Property-based tests of the escaping functions every repository string goes through before it
 * is printed (src/report/escape.ts): whatever the text, the runner can never read a workflow
 * command out of it, the runner's unescaping gives the original back, and Markdown stays inert.
 */
import fc from 'fast-check';
import { escapeData, escapeLog, escapeMarkdown, escapeProperty, mdCode, visibleControls } from '../src/report/escape.js';
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

test('escapeData / escapeProperty: single-line, no raw control, and the runner unescapes them to the original with controls shown', () => {
  fc.assert(
    fc.property(hostile, (s) => {
      const d = escapeData(s);
      const p = escapeProperty(s);
      expect(d).not.toMatch(/[\r\n]/);
      expect(p).not.toMatch(/[\r\n:,]/);
      // ESC, BEL, NUL, C1, line separators and bidirectional controls never reach the log raw.
      for (const x of [d, p]) expect(x).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      expect(unescapeData(d)).toBe(visibleControls(s));
      expect(unescapeProperty(p)).toBe(visibleControls(s));
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

// ---- issue 16: every output format, on file names no encoding can carry as they are ---------
import { annotations } from '../src/report/annotations.js';
import { jsonForLog, wellFormed } from '../src/report/escape.js';
import { toJson } from '../src/report/json.js';
import { pathToUri, toSarif } from '../src/report/sarif.js';
import { SUMMARY_LIMIT, toSummary } from '../src/report/summary.js';
import { toText } from '../src/report/text.js';
import { RULES } from '../src/rules/index.js';
import { finding, result, runnerCommands } from './report-factory.js';

/** Names with lone surrogates, C0/C1 controls, bidirectional controls and separators. */
const oddName = fc
  .array(fc.oneof(fc.constantFrom('\uD800', '\uDFFF', '\uDBFF\uDBFF', '\x00', '\x07', '\x1b[31m', '\x1b]8;;http://x\x07', '\x85', '\x9b', '\u202E', '\u2066', '\u2028', '\u2029', '\r', '\n', '::error::', '%0A', '/', 'a', '.py'), fc.string({ unit: 'binary', maxLength: 4 })), { minLength: 1, maxLength: 12 })
  .map((a) => a.join(''))
  .filter((s) => s.length > 0);

test('every output format takes file names with lone surrogates, controls and bidi characters: no crash, no injection, names kept', () => {
  fc.assert(
    fc.property(oddName, (name) => {
      const r = result([finding({ file: name, message: `runs ${name}`, fix: name, via: [{ file: name, line: 2 }] })]);
      const out = {
        text: toText(r, { failOn: 'error' }),
        github: annotations(r).join('\n'),
        json: jsonForLog(toJson(r)),
        sarif: jsonForLog(toSarif(r, RULES, { version: 'test' })),
        summary: toSummary(r, { rules: RULES, failOn: 'error', version: 'test', fileUrl: (f) => `https://github.com/o/r/blob/x/${pathToUri(f)}` }),
      };
      for (const [format, text] of Object.entries(out)) {
        // No raw control but TAB and our own line breaks; no lone surrogate (UTF-8 cannot carry one).
        expect([format, text]).not.toEqual([format, expect.stringMatching(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/)]);
        expect(wellFormed(text)).toBe(text);
        // No line the runner would read as a command but our own annotation lines.
        const lines = text.split('\n');
        const commands = lines.filter((l) => /^\s*::/.test(l) || l.includes('##['));
        expect(commands.length).toBe(format === 'github' ? lines.length : 0);
      }
      // The JSON formats keep the name: exactly (lone surrogates as JSON escapes).
      expect((JSON.parse(out.json) as { findings: { file: string }[] }).findings[0].file).toBe(name);
      const sarif = JSON.parse(out.sarif) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
      expect(() => decodeURIComponent(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri)).not.toThrow();
      // One annotation, whose file property is the name with its controls shown.
      const cmds = runnerCommands(out.github);
      expect(cmds).toHaveLength(1);
      expect(cmds[0].properties.file).toBe(visibleControls(name));
      expect(Buffer.byteLength(out.summary)).toBeLessThan(SUMMARY_LIMIT);
    }),
    params(300),
  );
});
