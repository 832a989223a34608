import type { ParseIssue } from './issue.js';
import type { Location } from './location.js';

// ---------------------------------------------------------------------------------------------
// Words and commands
// ---------------------------------------------------------------------------------------------

/** One piece of a shell word: literal text, a variable expansion, or a command substitution. */
export type WordPart =
  | { kind: 'lit'; text: string }
  /** `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:=default}`; `$@`/`$*` use name '@'. */
  | { kind: 'var'; name: string; op?: ':-' | '-' | ':=' | '=' | ':+' | '+' | ':?' | '?'; arg?: Word; slice?: ParamSlice }
  /** `$(...)` or backticks: never evaluated. */
  | { kind: 'cmd'; text: string }
  /** `*`, `?`, `[...]` that the shell would expand against the file system. */
  | { kind: 'glob'; text: string };

/** `${@:2}`, `${@:$n:1}`: positional parameters from an offset (the offset and length as written:
 *  a number, or a variable such as `$n` or `n`). */
export interface ParamSlice {
  offset: string;
  length?: string;
}

export interface Word {
  /** The source text of the word, quotes included. */
  raw: string;
  /** The parts after quote removal. A word of only `lit` parts has a static value. */
  parts: WordPart[];
  /** True when the whole word was quoted (no field splitting of its expansions). */
  quoted: boolean;
  loc: Location;
}

export interface Assignment {
  name: string;
  value: Word | null;
  loc: Location;
}

/** A simple command as written: words with spans. */
export interface Command {
  /** argv: command name first. Empty for a bare assignment such as `export X=1` → see assignments. */
  words: Word[];
  /** Leading `VAR=value` assignments (or the operands of `export`/`declare`). */
  assignments: Assignment[];
  /** The whole command's span. */
  loc: Location;
  /** The command's source text (single line where possible, for `via` and the summary). */
  text: string;
}

/** Shell control context of a command inside a script. */
export interface ShellContext {
  /** Inside an `if`/`case`/`while`/`for` body, or on the right of `||`/`&&`: may not run. */
  conditional: boolean;
  /** Run in the background with `&`. */
  background: boolean;
  /** Part of a pipeline with more than one command. */
  pipeline: boolean;
  /** Inside the condition of an `if`/`while` (a test, not something that serves). */
  condition: boolean;
  /** When in an `if`/`case`: the id of that statement and the index of the arm. */
  branch?: ShellBranch;
  /** Followed by `||` (an alternative runs if it fails). */
  negated?: boolean;
}

/** An arm of an `if`/`case` statement, with what selects it when that is a plain comparison. */
export interface ShellBranch {
  id: number;
  arm: number;
  label: string;
  /** Every arm of the statement, in order (shared by its arms): how each is selected. */
  arms?: { test: ArmTest | null; else?: boolean }[];
  /** The arm of the enclosing `if`/`case`, when nested. */
  parent?: ShellBranch;
  /** Conditional within the arm for another reason too (`&&`, a loop, an outer condition). */
  soft?: boolean;
}

/** `case WORD in P1|P2)`, `[ WORD = P ]`, `[[ WORD == P* ]]`, `test WORD != P`, `[ -z WORD ]`. */
export interface ArmTest {
  subject: Word;
  /** The arm is selected when the subject matches one of them (`negate`: none of them). */
  patterns: Word[];
  /** Patterns are shell globs (`case`, `[[ == ]]`), not plain strings. */
  glob: boolean;
  negate: boolean;
  /** Several tests joined by `||`/`&&` (`[ "$1" = a ] || [ "$2" = a ]`): decided only when they
   *  all give the same answer (any and/or of all-false tests is false, of all-true ones true). */
  all?: ArmTest[];
}

export interface ShellCommand extends Command {
  ctx: ShellContext;
}

export interface ShellScript {
  file: string;
  /** Top-level commands in source order (function bodies excluded; see `functions`). */
  commands: ShellCommand[];
  functions: Record<string, ShellCommand[]>;
  /** Syntax errors, each with its position. */
  errors: ParseIssue[];
  /** Shebang interpreter (`sh`, `bash`, `python`, ...) when present. */
  shebang?: string;
}
