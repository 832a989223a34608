/**
 * YAML parsed within the run's time bound (src/parse/limits.ts). The `yaml` package's own
 * `parseDocument`/`parseAllDocuments`, rebuilt from its public parts (Lexer → Parser → Composer,
 * as its documentation shows) so that the deadline is checked between lexical tokens and between
 * documents. Its errors are `Error`s: thousands of them (crafted input) spent most of the time
 * capturing stack traces nobody reads, so none are captured while parsing.
 */
import { Composer, Lexer, LineCounter, Parser, YAMLParseError, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';
import { LineTable } from '../core/lines.js';
import { parseExpired } from './limits.js';

export class YamlDeadline extends Error {
  constructor() {
    super("not parsed: the run's time bound was reached while parsing");
  }
}

type Options = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * Every document of `text` (`single`: the first one, as `parseDocument` gives it, with an error
 * when more follow). Throws YamlDeadline when the run's deadline passes while parsing.
 */
export function parseYamlBounded(text: string, options: Options, single = false): Document.Parsed[] {
  if (parseExpired()) throw new YamlDeadline();
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const lexer = new Lexer();
    const parser = new Parser(options.lineCounter?.addNewLine);
    // What Parser.parse does first: the first line starts at 0.
    options.lineCounter?.addNewLine(0);
    function* tokens() {
      let n = 0;
      for (const lexeme of lexer.lex(text)) {
        if ((++n & 1023) === 0 && parseExpired()) throw new YamlDeadline();
        yield* parser.next(lexeme);
      }
      yield* parser.end();
    }
    const composer = new Composer(options);
    const docs: Document.Parsed[] = [];
    for (const doc of composer.compose(tokens(), single, text.length)) {
      if (parseExpired()) throw new YamlDeadline();
      if (single && docs.length === 1) {
        const range = (doc as Document.Parsed).range;
        docs[0].errors.push(new YAMLParseError([range[0], range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
        break;
      }
      docs.push(doc as Document.Parsed);
    }
    return docs;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * A LineCounter for positions in `text` whose line starts come from the text itself (the one line
 * table, src/core/lines.ts): the parser's own LineCounter misses line breaks inside some error
 * tokens (a plain scalar across lines in an error), which put positions past a line's end (found
 * by __tests__/fuzz-parsers.test.ts).
 */
export function textLineCounter(text: string, lc: LineCounter = new LineCounter()): LineCounter {
  for (const start of new LineTable(text).starts) lc.addNewLine(start);
  return lc;
}
