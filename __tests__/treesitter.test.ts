import { parserFor } from '../src/parse/treesitter.js';

test('both grammars load and parse', async () => {
  const bash = await parserFor('bash');
  const tree = bash.parse('exec gunicorn proj.wsgi\n')!;
  expect(tree.rootNode.type).toBe('program');
  expect(tree.rootNode.hasError).toBe(false);
  const py = await parserFor('python');
  const t2 = py.parse('STATIC_ROOT = BASE_DIR / "static"\n')!;
  expect(t2.rootNode.type).toBe('module');
});
