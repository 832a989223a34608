import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({});
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".cli.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:v8"
const external_node_v8_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:v8");
;// CONCATENATED MODULE: ./src/adapters/runtime.ts
/**
 * V8 settings for a short, one-shot process (the CLI and the action, never the engine as a
 * library): imported first by both entries, before the run allocates.
 *
 * The young generation is kept at its initial size (`--semi-space-growth-factor=1`): V8 grows it
 * for throughput in long-lived processes, and a lint run's peak RSS followed that growth, not
 * what the run holds. Measured under Node 24.21 on the 100,000-file bench tree: peak RSS
 * 151 → 126 MB, run time unchanged (more, smaller scavenges). Node 20's V8 knows the flag too;
 * an unknown flag would only print a warning.
 */

try {
    external_node_v8_namespaceObject.setFlagsFromString('--semi-space-growth-factor=1');
}
catch {
    // Not expected; the run goes on with V8's defaults.
}

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: ./src/core/options.ts
const SEVERITY_RANK = { error: 3, warning: 2, notice: 1 };
/** Does a result with these counts fail at `failOn`? */
function fails(summary, failOn) {
    switch (failOn) {
        case 'never':
            return false;
        case 'error':
            return summary.errors > 0;
        case 'warning':
            return summary.errors + summary.warnings > 0;
        case 'notice':
            return summary.errors + summary.warnings + summary.notices > 0;
    }
}

;// CONCATENATED MODULE: ./src/report/escape.ts
/**
 * Escaping of text taken from the scanned repository (file names, commands, messages quoting
 * them) before it reaches a place that interprets it:
 *
 * - the runner's log (stdout/stderr): the runner reads a line whose trimmed start is `::` as a
 *   workflow command, and a `##[name ...]` anywhere in a line as a legacy command (see
 *   actions/runner `ActionCommand.TryParseV2`/`TryParse`);
 * - the data and properties of our own workflow commands (annotations);
 * - the Markdown job summary (GitHub-flavoured Markdown with inline HTML);
 * - JSON printed to stdout.
 *
 * `escapeLog` is the ONE function every other repo-derived string goes through before it is
 * printed; every reporter that writes lines for a terminal or the runner's log uses it.
 */
// ---------------------------------------------------------------------------------------------
// Workflow commands (same escaping as @actions/core and the runner's unescaping)
// ---------------------------------------------------------------------------------------------
/**
 * Controls the runner's protocol does not encode: C0 but TAB, CR and LF (those it encodes), DEL,
 * the C1 range, the Unicode line and paragraph separators and the bidirectional controls
 * ("Trojan Source"). Raw, they reach the log: a terminal reads ESC/CSI as escape sequences, BEL
 * rings, NUL truncates. They are shown instead, as the Unicode control pictures (`␛`, `␇`, `␀`)
 * for C0 and DEL, and as `\uXXXX` text for the others.
 */
const RAW_CONTROLS = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;
function controlPicture(ch) {
    const c = ch.charCodeAt(0);
    if (c < 0x20)
        return String.fromCharCode(0x2400 + c);
    if (c === 0x7f)
        return '\u2421';
    return `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
}
/** `s` with every control the runner does not encode shown as a visible character (see RAW_CONTROLS). */
function visibleControls(s) {
    return wellFormed(s).replace(RAW_CONTROLS, controlPicture);
}
/**
 * `s` with every lone surrogate (ill-formed UTF-16, which a file name can hold on Linux once read
 * as text) replaced by U+FFFD: `encodeURIComponent` throws on them, and UTF-8 output cannot
 * carry them.
 */
function wellFormed(s) {
    return s.replace(LONE_SURROGATE, '\uFFFD');
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/**
 * Escape the data part of a workflow command (`::error ...::DATA`): what the runner unescapes
 * (`%`, CR, LF) is encoded; other controls are shown (`visibleControls`).
 */
function escapeData(s) {
    return visibleControls(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** Escape a property value of a workflow command (`::error file=VALUE,...::`). */
function escapeProperty(s) {
    return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
// ---------------------------------------------------------------------------------------------
// Log lines
// ---------------------------------------------------------------------------------------------
/**
 * Characters that must not reach a log line raw: every line break the runner or a terminal
 * honours (CR, LF and the other C0 controls except TAB, DEL, the C1 range including NEL), the
 * Unicode line/paragraph separators, bidirectional overrides ("Trojan Source") and the BOM.
 * `%` is escaped as well so that an escaped text is unambiguous.
 */
const UNSAFE_CHARS = /[%\x00-\x08\x0A-\x1F\x7F-\x9F\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/g;
/** The same without `%`: Markdown shows a file name's `%` as it is (nothing decodes it there). */
const UNSAFE_CHARS_MD = /[\x00-\x08\x0A-\x1F\x7F-\x9F\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/g;
function percent(ch) {
    const code = ch.charCodeAt(0);
    return code < 0x100 ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : `%u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
/**
 * Make repo-derived text safe to print on one log line (stdout or stderr of the action or the
 * CLI). The result:
 * - contains no line break or other control character (they become `%0A`, `%1B`, ...), so it
 *   can never start a line of its own;
 * - contains no `::` and neither starts nor ends with `:` (ignoring whitespace), so neither the
 *   text nor the text glued to our own `file:line` punctuation can open a workflow command;
 * - contains no `#[` and does not end with `#`, so no legacy `##[command]` can appear.
 * Everything else (including non-ASCII text) is kept as is, so messages stay readable.
 */
function escapeLog(s) {
    return wellFormed(s)
        .replace(UNSAFE_CHARS, percent)
        .replace(/::/g, ':%3A')
        .replace(/^(\s*):/u, '$1%3A')
        .replace(/:(\s*)$/u, '%3A$1')
        .replace(/#(?=\[)/g, '%23')
        .replace(/#(\s*)$/u, '%23$1');
}
/**
 * JSON for stdout: `JSON.stringify` already escapes line breaks inside strings, so every line
 * of the output starts with our own punctuation; a legacy `##[command]` inside a string is
 * broken up by writing `#` as `\u0023` (still the same JSON value).
 */
function jsonForLog(value) {
    // JSON.stringify escapes C0 controls and lone surrogates, not DEL, C1 or the bidirectional
    // controls: written as `\uXXXX` too (the same JSON value), so no raw control reaches a terminal.
    return JSON.stringify(value, null, 2)
        .replace(/#(?=\[)/g, '\\u0023')
        .replace(/[\x7F-\x9F\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
// ---------------------------------------------------------------------------------------------
// Markdown (job summary)
// ---------------------------------------------------------------------------------------------
/**
 * Characters written as numeric entities in Markdown: HTML (`< > & " '`), Markdown syntax
 * (emphasis, code spans, links, headings, lists, tables, strikethrough, footnotes, math `$`),
 * and what GitHub decorates (`:emoji:` shortcodes, `@mentions`, `scheme://` autolinks).
 * An entity is never read as syntax, also splits no table cell, and renders as the character.
 */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()<>#+\-!|~$&"':@^=]/g;
/**
 * Make repo-derived text inert in GitHub-flavoured Markdown, including table cells and inline
 * HTML such as `<code>…</code>`: controls and line breaks are shown as `%0A` etc. (as in the
 * log), syntax characters become entities, and very long strings are clipped.
 */
function escapeMarkdown(s, max = 500) {
    return wellFormed(clip(s, max))
        .replace(UNSAFE_CHARS_MD, percent)
        .replace(MARKDOWN_SPECIAL, (ch) => `&#${ch.charCodeAt(0)};`);
}
/** Repo-derived text as inline code in Markdown (safe in tables). */
function mdCode(s, max = 500) {
    return `<code>${escapeMarkdown(s, max)}</code>`;
}
/**
 * Shorten `s` to at most `max` characters (code points kept whole), marking the cut with `…`.
 * `utf16`: count UTF-16 code units instead, for limits an API counts that way (GitHub's check
 * runs); a surrogate pair at the cut is dropped whole.
 */
function clip(s, max, count = 'codepoints') {
    if (s.length <= max)
        return s;
    if (count === 'utf16') {
        let cut = Math.max(0, max - 1);
        const c = s.charCodeAt(cut - 1);
        if (cut > 0 && c >= 0xd800 && c <= 0xdbff)
            cut--;
        return s.slice(0, cut) + '…';
    }
    const chars = Array.from(s);
    if (chars.length <= max)
        return s;
    return chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}

;// CONCATENATED MODULE: ./package.json
const package_namespaceObject = {"rE":"0.1.0"};
;// CONCATENATED MODULE: ./src/report/version.ts
/** The tool's version, from package.json (bundled into dist/ at build time). */

const VERSION = package_namespaceObject.rE;

;// CONCATENATED MODULE: ./src/cli.ts
/**
 * The command-line adapter (`django-deploy-lint`, `node dist/cli.js`):
 *
 *   django-deploy-lint [PATH] [--format text|json|sarif|github] [--config FILE]
 *                      [--fail-on error|warning|notice|never] [--rule ID=LEVEL]...
 *                      [--baseline FILE] [--write-baseline FILE] [--fix] [--unsafe-fixes] [--timing]
 *   django-deploy-lint --list-rules | --explain ID | --version | --help
 *
 * `--explain` prints the rule's page from docs/rules, embedded at build time as
 * src/rules/pages.ts (scripts/rule-pages.mjs), so that the bundle needs no docs folder.
 *
 * Start-up: this module imports only what reading the arguments needs. The engine, the rules and
 * the reporters are imported once the arguments ask for them (`loadRun`, src/entry-cli-run.ts),
 * so that `--help` and `--version` never compile them; the rule pages likewise, by `--explain`
 * alone. src/entry-cli.ts runs `cli()` on the process.
 *
 * Exit status: 0 pass, 1 findings at or above --fail-on, 2 usage or internal error.
 * Never loads @actions/core. Colour only on a TTY, and never when NO_COLOR is set.
 */






/**
 * The modules of everything but --help and --version. In dist/ a bundle of its own,
 * dist/entry-cli-run.js (scripts/build.mjs), imported as is (`webpackIgnore`), not a chunk of
 * this one: see src/entry-cli-run.ts.
 */
const loadRun = () => import(/* webpackIgnore: true */ './entry-cli-run.js');
const FORMATS = ['text', 'json', 'sarif', 'github'];
const FAIL_ON = ['error', 'warning', 'notice', 'never'];
const USAGE = `Usage: django-deploy-lint [PATH] [options]

Finds how a Django app is started in production (Procfile, Dockerfile, compose, systemd,
platform manifests and the scripts they call) and checks the server and the static files. Reads files only: nothing
from the repository is run.

Arguments:
  PATH                  the repository to check (default: .)

Options:
  -f, --format FORMAT   text (default), json, sarif or github (workflow annotations)
  -c, --config FILE     configuration file (default: .django-deploy-lint.yml in PATH)
      --fail-on LEVEL   error (default), warning, notice or never
      --rule ID=LEVEL   set a rule to off, notice, warning or error (repeatable; beats the config)
      --baseline FILE   findings recorded in FILE are listed apart and do not count toward --fail-on
      --write-baseline FILE
                        record the current findings in FILE (then every one of them is baselined)
      --fix             apply the safe fixes to the files, print what changed, then lint again
                        (the report and the exit status are those of the run after the fixes)
      --unsafe-fixes    with --fix (implied), also apply the unsafe fixes: they change what runs
                        (gunicorn in place of runserver); review the diff
      --timing          after the run, print to stderr where the time went: start-up, each stage
                        of the engine, each rule, the report (milliseconds)
      --list-rules      list the rules: id, default severity, name and what each reports
      --explain ID      print the page of a rule (DPL101, or its name runserver-in-production)
  -V, --version         print the version
  -h, --help            print this help

Exit status: 0 no findings at or above --fail-on, 1 there are, 2 usage or internal error.
`;
class UsageError extends Error {
}
function useColor(io) {
    const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
    if (noColor)
        return false;
    const force = io.env.FORCE_COLOR;
    if (force !== undefined && force !== '')
        return force !== '0' && force !== 'false';
    return io.isTTY && io.env.TERM !== 'dumb';
}
/** The run's modules, once loaded (the error handler tells their errors apart with them). */
let run;
async function main(argv, io) {
    let args;
    try {
        args = (0,external_node_util_namespaceObject.parseArgs)({
            args: argv,
            allowPositionals: true,
            strict: true,
            options: {
                format: { type: 'string', short: 'f' },
                config: { type: 'string', short: 'c' },
                'fail-on': { type: 'string' },
                rule: { type: 'string', multiple: true },
                baseline: { type: 'string' },
                'write-baseline': { type: 'string' },
                timing: { type: 'boolean' },
                fix: { type: 'boolean' },
                'unsafe-fixes': { type: 'boolean' },
                'list-rules': { type: 'boolean' },
                explain: { type: 'string' },
                version: { type: 'boolean', short: 'V' },
                help: { type: 'boolean', short: 'h' },
            },
        });
    }
    catch (err) {
        throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    const { values, positionals } = args;
    if (values.help) {
        io.stdout(USAGE);
        return 0;
    }
    if (values.version) {
        io.stdout(`${VERSION}\n`);
        return 0;
    }
    const r = (run ??= await loadRun());
    if (values['list-rules']) {
        io.stdout(listRules(r));
        return 0;
    }
    if (values.explain !== undefined) {
        io.stdout(await explain(r, values.explain));
        return 0;
    }
    if (positionals.length > 1)
        throw new UsageError(`expected at most one PATH, got ${positionals.length}`);
    const format = (values.format ?? 'text');
    if (!FORMATS.includes(format))
        throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got '${values.format}'`);
    const failOn = (values['fail-on'] ?? 'error');
    if (!FAIL_ON.includes(failOn))
        throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}; got '${values['fail-on']}'`);
    const arg = positionals[0] ?? '.';
    const root = external_node_path_namespaceObject.resolve(io.cwd, arg);
    if (!isDirectory(root))
        throw new UsageError(`not a directory: ${arg}`);
    let config = null;
    if (values.config !== undefined) {
        config = external_node_path_namespaceObject.resolve(io.cwd, values.config);
        if (!external_node_fs_namespaceObject.existsSync(config))
            throw new UsageError(`no such config file: ${values.config}`);
    }
    // Paths are shown relative to the current directory when the root is inside it.
    const rel = external_node_path_namespaceObject.relative(io.cwd, root);
    const inside = rel === '' || (!rel.startsWith('..') && !external_node_path_namespaceObject.isAbsolute(rel));
    const prefix = inside ? rel.split(external_node_path_namespaceObject.sep).join('/') : root.split(external_node_path_namespaceObject.sep).join('/');
    const rules = {};
    for (const x of values.rule ?? []) {
        const m = /^(DPL\d{3})=(off|notice|warning|error)$/i.exec(x);
        if (!m || !r.RULES.some((rule) => rule.id === m[1].toUpperCase()))
            throw new UsageError(`--rule takes ID=LEVEL with a known rule id and off, notice, warning or error; got '${x}'`);
        rules[m[1].toUpperCase()] = m[2].toLowerCase();
    }
    // --timing: the engine's stages and rules, between what came before (start-up: node, the
    // modules, the arguments) and after (the report). performance.now() counts from the start of
    // the process.
    const timings = values.timing ? new Map([['start-up', performance.now()]]) : undefined;
    let result = await r.lint(root, { config, rules, timings });
    const unsafe = values['unsafe-fixes'] === true;
    if (values.fix || unsafe) {
        // Fixes are applied before a baseline sets findings apart: the files are what they are.
        const outcome = await r.fixLoop(root, result, unsafe, () => r.lint(root, { config, rules }));
        result = outcome.result;
        io.stderr(fixReport(outcome, prefix, unsafe ? 0 : r.applicableFixes(result.findings, true).length));
    }
    const reported = performance.now();
    if (values['write-baseline'] !== undefined) {
        // Every current finding is recorded (also those an older --baseline set apart).
        // Written inside the current directory, through no symbolic link (src/core/safe-write.ts): the
        // checkout may be someone else's.
        const baseline = r.toBaseline([...result.findings, ...(result.baselined ?? [])].sort(r.compareFindings));
        try {
            r.safeWriteFile(io.cwd, values['write-baseline'], r.serializeBaseline(baseline));
        }
        catch (err) {
            throw new UsageError(`cannot write the baseline ${values['write-baseline']}: ${err instanceof r.UnsafeWriteError ? err.message : (err.code ?? String(err))}`);
        }
        io.stderr(`django-deploy-lint: wrote ${baseline.findings.length} finding${baseline.findings.length === 1 ? '' : 's'} to ${escapeLog(values['write-baseline'])}\n`);
        result = r.applyBaseline(result, baseline);
    }
    else if (values.baseline !== undefined) {
        result = r.applyBaseline(result, r.readBaseline(external_node_path_namespaceObject.resolve(io.cwd, values.baseline), null, values.baseline));
    }
    switch (format) {
        case 'text':
            io.stdout(r.toText(result, { prefix, color: useColor(io), failOn }));
            break;
        case 'json': {
            io.stdout(r.jsonForLog(r.toJson(result, { root: arg.split(external_node_path_namespaceObject.sep).join('/') })) + '\n');
            break;
        }
        case 'sarif':
            io.stdout(r.jsonForLog(r.toSarif(result, r.RULES, { version: VERSION, prefix: inside ? prefix : '' })) + '\n');
            break;
        case 'github':
            for (const line of r.annotations(result, { prefix }))
                io.stdout(line + '\n');
            break;
    }
    if (timings) {
        const done = performance.now();
        timings.set('report', done - reported);
        io.stderr(timingTable(timings, done));
    }
    return fails(result.summary, failOn) ? 1 : 0;
}
/** What --fix did, for stderr: one line per fix applied (file:line, title, rule), then the totals. */
function fixReport(outcome, prefix, hiddenUnsafe) {
    const shown = (file) => escapeLog(prefix ? `${prefix}/${file}` : file);
    const lines = outcome.applied.map((a) => `fixed ${shown(a.file)}:${a.line}: ${escapeLog(a.title)} [${a.ruleId}${a.safety === 'unsafe' ? ', unsafe' : ''}]`);
    for (const r of outcome.refused)
        lines.push(`not fixed ${shown(r.file)}: ${escapeLog(r.why)}`);
    const n = outcome.applied.length;
    const files = new Set(outcome.applied.flatMap((a) => a.files)).size;
    lines.push(n === 0 ? 'no fix applied' : `${n} fix${n === 1 ? '' : 'es'} applied in ${files} file${files === 1 ? '' : 's'}; the report below is of the files after them`);
    if (hiddenUnsafe > 0)
        lines.push(`${hiddenUnsafe} more fix${hiddenUnsafe === 1 ? ' is' : 'es are'} available with --unsafe-fixes (they change what runs: review them)`);
    return lines.map((l) => `django-deploy-lint: ${l}\n`).join('');
}
/**
 * The --timing table: one row per entry in the order recorded, its milliseconds and share of the
 * total, then the total (the process's time until the report was written). Like ESLint's TIMING=1.
 */
function timingTable(timings, total) {
    const rows = [...timings].map(([name, ms]) => [name, ms.toFixed(1), total > 0 ? `${((100 * ms) / total).toFixed(1)}%` : '']);
    rows.push(['total', total.toFixed(1), '100.0%']);
    const head = ['Stage / rule', 'Time (ms)', 'Relative'];
    const w = [0, 1, 2].map((i) => Math.max(head[i].length, ...rows.map((row) => row[i].length)));
    const line = (row) => `${row[0].padEnd(w[0])} | ${row[1].padStart(w[1])} | ${row[2].padStart(w[2])}`;
    const rule = `${'-'.repeat(w[0] + 1)}|${'-'.repeat(w[1] + 2)}|${'-'.repeat(w[2] + 1)}`;
    return [line(head), rule, ...rows.map(line)].join('\n') + '\n';
}
function listRules(r) {
    const width = Math.max(...r.RULES.map((rule) => rule.name.length));
    return r.RULES.map((rule) => `${rule.id}  ${rule.severity.padEnd(7)}  ${rule.name.padEnd(width)}  ${rule.summary}`).join('\n') + '\n';
}
/** The rule page for an id (any case) or a rule name. */
async function explain(r, query) {
    const q = query.trim();
    const rule = r.RULES.find((x) => x.id === q.toUpperCase() || x.name === q.toLowerCase());
    const { RULE_PAGES } = await __nccwpck_require__.e(/* import() */ 699).then(__nccwpck_require__.bind(__nccwpck_require__, 699));
    const page = rule ? RULE_PAGES[rule.id] : undefined;
    if (!rule || !page)
        throw new UsageError(`--explain takes a rule id or name (see --list-rules); got '${query}'`);
    return page.endsWith('\n') ? page : page + '\n';
}
function isDirectory(p) {
    try {
        return external_node_fs_namespaceObject.statSync(p).isDirectory();
    }
    catch {
        return false;
    }
}
/**
 * Runs the command with `argv` (without node and the script) on `io`; resolves to the exit
 * status, having written any error to `io.stderr`. Never rejects.
 */
async function cli(argv, io) {
    try {
        return await main(argv, io);
    }
    catch (err) {
        if (run && err instanceof run.ConfigError) {
            // Positions are relative to the scanned root; the message says which file.
            io.stderr(`django-deploy-lint: invalid configuration:\n${err.problems.map((p) => `  ${escapeLog(`${p.file}:${p.line}:${p.column}: ${p.message}`)}`).join('\n')}\n`);
        }
        else if (err instanceof UsageError || (run && err instanceof run.BaselineError)) {
            io.stderr(`django-deploy-lint: ${escapeLog(err.message)}\nTry 'django-deploy-lint --help'.\n`);
        }
        else if (run && err instanceof run.DeadlineError) {
            io.stderr(`django-deploy-lint: ${escapeLog(err.message)}\n`);
        }
        else {
            const message = err instanceof Error ? err.message : String(err);
            io.stderr(`django-deploy-lint: internal error: ${escapeLog(message)}\n`);
            if (io.env.DJANGO_DEPLOY_LINT_DEBUG && err instanceof Error && err.stack)
                io.stderr(`${escapeLog(err.stack)}\n`);
        }
        return 2;
    }
}

;// CONCATENATED MODULE: ./src/entry-cli.ts
/**
 * The CLI's bundle entry (dist/cli-main.js, imported by the dist/cli.js stub that
 * scripts/build.mjs writes): runs src/cli.ts on this process.
 */


// `django-deploy-lint . | head`: a closed pipe is not an error worth a stack trace.
process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE')
        process.exit(process.exitCode ?? 0);
    throw err;
});
const io = {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
};
// Not a top-level await: webpack would make this module async, and then no longer concatenate
// the modules it imports into one scope (measured: 13 ms more per run on Node 20).
void cli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
});

