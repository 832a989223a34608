/**
 * The architecture check (docs/architecture.md, "Layers"): `npm run lint:deps`.
 *
 * The source reads as one pipeline, each layer importing only the layers before it:
 *
 *   core → discover → parse → model → facts → rules → suppress → report → adapters
 *
 * LAYERS below says which of today's files sit in which layer. The restructure into src/core/ and
 * src/facts/ has not landed yet, so some of today's imports run up the pipeline; they are listed in
 * .dependency-cruiser-known-violations.json and `--ignore-known` lets only them pass. Any NEW
 * violation fails. After a change that removes violations, regenerate the list:
 *
 *   npx depcruise src --output-type baseline --output-to .dependency-cruiser-known-violations.json
 */

/** Files of src/rules/ that are shared computations, not rules (they move to src/facts/). */
const FACTS_IN_RULES = ['helpers', 'settings-facts', 'web-configs', 'static-story', 'install-facts', 'static-facts'];

/** In pipeline order; the patterns do not overlap. */
const LAYERS = [
  // Positions and the line table, shell words, parse issues, findings and severities, run options.
  { name: 'core', path: ['^src/core/'] },
  { name: 'discover', path: ['^src/discover/'] },
  // The configuration file is read like the other files (a bounded YAML parse).
  { name: 'parse', path: ['^src/parse/', '^src/config\\.ts$'] },
  // The project model: targets, processes, servers, and what the repository declares and installs.
  { name: 'model', path: ['^src/model/', '^src/deps/'] },
  // Shared computations the rules read (today: the settings evaluator and three files in rules/).
  {
    name: 'facts',
    path: ['^src/facts/', '^src/settings/', ...FACTS_IN_RULES.map((f) => `^src/rules/${f}\\.ts$`)],
  },
  { name: 'rules', path: [`^src/rules/(?!(?:${FACTS_IN_RULES.join('|')})\\.ts$)`] },
  // Suppressions, the baseline, and the engine that runs the rules and applies both.
  { name: 'suppress', path: ['^src/suppress/', '^src/suppress\\.ts$', '^src/baseline\\.ts$', '^src/engine\\.ts$'] },
  { name: 'report', path: ['^src/report/'] },
  // Everything that talks to a user or a host: the CLI, the GitHub Action, their entry points.
  {
    name: 'adapters',
    path: ['^src/adapters/', '^src/github/', '^src/action/', '^src/main\\.ts$', '^src/index\\.ts$', '^src/cli\\.ts$', '^src/entry-cli(-run)?\\.ts$', '^src/runtime\\.ts$'],
  },
];

/** Support modules of src/rules/ that are not rules: a rule may import these, never another rule. */
const RULE_SUPPORT = ['index', 'types', 'helpers', 'docs', 'pages', ...FACTS_IN_RULES];
const RULE_FILE = `^src/rules/(?!(?:${RULE_SUPPORT.join('|')})\\.ts$)[^/]+\\.ts$`;

// Every source file must sit in exactly one layer: a new folder gets its place here first.
{
  const fs = require('node:fs');
  const path = require('node:path');
  const walk = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.posix.join(dir, e.name)) : [path.posix.join(dir, e.name)]));
  const src = path.join(__dirname, 'src');
  if (fs.existsSync(src)) {
    for (const file of walk('src').filter((f) => /\.(c|m)?[jt]s$/.test(f))) {
      const layers = LAYERS.filter((l) => l.path.some((p) => new RegExp(p).test(file)));
      if (layers.length !== 1) throw new Error(`${file} is in ${layers.length} layers of .dependency-cruiser.cjs (it must be in exactly one)`);
    }
  }
}

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `no-up-from-${layer.name}`,
  severity: 'error',
  comment: `${layer.name} may import only ${LAYERS.slice(0, i + 1).map((l) => l.name).join(', ')} (docs/architecture.md, "Layers").`,
  from: { path: layer.path },
  to: { path: LAYERS.slice(i + 1).flatMap((l) => l.path) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle, type-only imports included.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-rule-imports-rule',
      severity: 'error',
      comment: 'A rule reads facts and helpers, never another rule (docs/architecture.md, "Rules").',
      from: { path: RULE_FILE },
      to: { path: RULE_FILE },
    },
    {
      name: 'actions-only-in-adapters',
      severity: 'error',
      comment: 'Only the adapters talk to the GitHub runner: the engine must run the same from the CLI.',
      from: { path: '^src/', pathNot: LAYERS.at(-1).path },
      to: { path: '^node_modules/@actions/|^@actions/' },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment: 'Shipped code must not import a devDependency.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^node_modules/' },
    // Type-only imports count: they tie layers as much as value imports do.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
