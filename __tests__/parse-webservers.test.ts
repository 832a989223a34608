import { discover } from '../src/discover/repo.js';
import { apacheFacts, isApacheConfigPath, looksLikeApache, parseApache } from '../src/parse/apache.js';
import { caddyFacts, isCaddyfilePath, parseCaddyfile } from '../src/parse/caddy.js';
import { findApacheConfigs, findNginxConfigs } from '../src/facts/web-configs.js';

const at = (file: string) => (line: number, column: number, endLine: number, endColumn: number) => ({ file, line, column, endLine, endColumn });

describe('Caddyfile', () => {
  const C = 'Caddyfile';
  const loc = at(C);
  const text = [
    '{',
    '    email admin@example.com',
    '}',
    '',
    'example.com {',
    '    encode gzip # compress',
    '    @static path /static/* /media/*',
    '    handle @static {',
    '        root * /srv',
    '        file_server',
    '    }',
    '    handle_path /assets/* {',
    '        root * "/app/static files"',
    '        file_server',
    '    }',
    '    reverse_proxy web:8000',
    '}',
    '',
    ':8080 {',
    '    reverse_proxy unix//run/gunicorn.sock localhost',
    '    reverse_proxy {$UPSTREAM}',
    '}',
  ].join('\n');

  test('parses blocks, quotes and comments with positions', () => {
    const { directives, issues } = parseCaddyfile(text, C);
    expect(issues).toEqual([]);
    expect(directives.map((d) => d.name)).toEqual(['', 'example.com', ':8080']);
    expect(directives[1].loc).toEqual(loc(5, 1, 17, 2));
    const site = directives[1].block!;
    expect(site.map((d) => d.name)).toEqual(['encode', '@static', 'handle', 'handle_path', 'reverse_proxy']);
    expect(site[0].args.map((a) => a.value)).toEqual(['gzip']);
    expect(site[3].block![0].args).toEqual([
      { value: '*', loc: loc(13, 14, 13, 15) },
      { value: '/app/static files', loc: loc(13, 16, 13, 35) },
    ]);
  });

  test('facts: matcher and handle_path static handlers, reverse_proxy upstreams', () => {
    const facts = caddyFacts(parseCaddyfile(text, C).directives, C);
    expect(facts.server).toBe('caddy');
    expect(facts.staticLocations).toEqual([
      { prefix: '/static/', alias: null, root: '/srv', loc: loc(8, 5, 11, 6), valueLoc: loc(9, 16, 9, 20) },
      { prefix: '/media/', alias: null, root: '/srv', loc: loc(8, 5, 11, 6), valueLoc: loc(9, 16, 9, 20) },
      { prefix: '/assets/', alias: '/app/static files', root: null, loc: loc(12, 5, 15, 6), valueLoc: loc(13, 16, 13, 35) },
    ]);
    expect(facts.upstreams.map((u) => [u.target, u.kind, u.variable, u.loc.line, u.loc.column])).toEqual([
      ['web:8000', 'reverse_proxy', false, 16, 19],
      ['unix:/run/gunicorn.sock', 'reverse_proxy', false, 20, 19],
      ['localhost:80', 'reverse_proxy', false, 20, 43],
      ['{$UPSTREAM}', 'reverse_proxy', true, 21, 19],
    ]);
  });

  test('a site-level file_server with a path matcher uses the site root', () => {
    const t = 'app.example.com {\n  root * /srv/app\n  file_server /static/*\n  reverse_proxy 127.0.0.1:8000 {\n    to 127.0.0.1:8001\n  }\n}\n';
    const facts = caddyFacts(parseCaddyfile(t, C).directives, C);
    expect(facts.staticLocations).toEqual([{ prefix: '/static/', alias: null, root: '/srv/app', loc: loc(3, 3, 3, 24), valueLoc: loc(2, 10, 2, 18) }]);
    expect(facts.upstreams.map((u) => u.target)).toEqual(['127.0.0.1:8000', '127.0.0.1:8001']);
  });

  test('unbalanced braces are reported with positions', () => {
    expect(parseCaddyfile('example.com {\n  file_server\n', C).issues).toEqual([
      { message: "unexpected end of file: this block is not closed with '}'", loc: loc(1, 13, 1, 14) },
    ]);
    expect(parseCaddyfile('}\n"open\n', C).issues).toEqual([
      { message: "unexpected '}'", loc: loc(1, 1, 1, 2) },
      { message: 'unterminated quoted string', loc: loc(2, 1, 3, 1) },
    ]);
  });

  test('never throws on junk', () => {
    for (const junk of ['a {\n'.repeat(100000), '}\n{\n{ }', '`', '"\\', 'a { b']) {
      expect(() => parseCaddyfile(junk, C)).not.toThrow();
      expect(parseCaddyfile(junk, C).issues.length).toBeGreaterThan(0);
    }
  });

  test.each([
    ['Caddyfile', true],
    ['deploy/Caddyfile.prod', true],
    ['caddy/site.caddyfile', true],
    ['Caddyfile.md', true],
    ['docs/caddy.md', false],
  ])('isCaddyfilePath(%s) → %s', (p, e) => expect(isCaddyfilePath(p)).toBe(e));
});

describe('Apache', () => {
  const A = 'deploy/apache/site.conf';
  const loc = at(A);
  const text = [
    '# Django behind Apache',
    '<VirtualHost *:80>',
    '    ServerName example.com',
    '    Alias /static/ "/var/www/app/staticfiles/"',
    '    <Directory /var/www/app/staticfiles>',
    '        Require all granted',
    '    </Directory>',
    '    ProxyPass /static/ !',
    '    ProxyPass / http://127.0.0.1:8000/ \\',
    '        retry=0',
    '    <Location /api>',
    '        ProxyPass unix:/run/gunicorn.sock|http://localhost/api',
    '    </Location>',
    '    WSGIScriptAlias /legacy /srv/app/proj/wsgi.py',
    '</VirtualHost>',
  ].join('\n');

  test('parses sections and directives with positions', () => {
    const { directives, issues } = parseApache(text, A);
    expect(issues).toEqual([]);
    expect(directives).toHaveLength(1);
    const vh = directives[0];
    expect(vh.name).toBe('VirtualHost');
    expect(vh.args).toEqual([{ value: '*:80', loc: loc(2, 14, 2, 18) }]);
    expect(vh.loc).toEqual(loc(2, 1, 15, 15));
    expect(vh.block!.map((d) => d.name)).toEqual(['ServerName', 'Alias', 'Directory', 'ProxyPass', 'ProxyPass', 'Location', 'WSGIScriptAlias']);
    expect(vh.block![1].args).toEqual([
      { value: '/static/', loc: loc(4, 11, 4, 19) },
      { value: '/var/www/app/staticfiles/', loc: loc(4, 20, 4, 47) },
    ]);
    expect(vh.block![4].args.map((a) => a.value)).toEqual(['/', 'http://127.0.0.1:8000/', 'retry=0']);
  });

  test('facts: Alias, ProxyPass (with ! exclusions and in <Location>), WSGIScriptAlias', () => {
    const facts = apacheFacts(parseApache(text, A).directives, A);
    expect(facts.staticLocations).toEqual([
      { prefix: '/static/', alias: '/var/www/app/staticfiles/', root: null, loc: loc(4, 5, 4, 47), valueLoc: loc(4, 20, 4, 47) },
    ]);
    expect(facts.upstreams).toEqual([
      { target: '127.0.0.1:8000', kind: 'ProxyPass', loc: loc(9, 17, 9, 39), host: '127.0.0.1', port: 8000, socket: null, variable: false },
      { target: 'unix:/run/gunicorn.sock', kind: 'ProxyPass', loc: loc(12, 19, 12, 63), host: null, port: null, socket: '/run/gunicorn.sock', variable: false },
    ]);
    expect(facts.wsgiScripts).toEqual([{ prefix: '/legacy', path: '/srv/app/proj/wsgi.py', loc: loc(14, 5, 14, 50) }]);
  });

  test('mismatched and unclosed sections', () => {
    const { issues } = parseApache('<VirtualHost *:80>\n  <Directory /x>\n  </Location>\n', A);
    expect(issues).toEqual([
      { message: '</Location> closes <Directory>', loc: loc(3, 3, 3, 14) },
      { message: '<VirtualHost> is not closed', loc: loc(1, 1, 1, 19) },
    ]);
    expect(parseApache('</VirtualHost>\n', A).issues).toEqual([{ message: 'unexpected </VirtualHost> with no open section', loc: loc(1, 1, 1, 15) }]);
  });

  test('never throws on junk', () => {
    for (const junk of ['<A>\n'.repeat(100000), '<', '</>', 'X "unterminated', '\\\n\\']) {
      expect(() => parseApache(junk, A)).not.toThrow();
    }
    expect(parseApache('X "unterminated\n', A).issues).toEqual([{ message: 'unterminated quoted argument', loc: loc(1, 3, 1, 16) }]);
  });

  test('paths and sniffing', () => {
    expect(isApacheConfigPath('deploy/apache/site.conf')).toBe(true);
    expect(isApacheConfigPath('httpd.conf')).toBe(true);
    expect(isApacheConfigPath('nginx/site.conf')).toBe(false);
    expect(looksLikeApache(text)).toBe(true);
    expect(looksLikeApache('server {\n listen 80;\n}\n')).toBe(false);
  });
});

describe('finding web server configs in a repository', () => {
  const repo = discover(new URL('./fixtures/settings-webservers/', import.meta.url).pathname);
  test('nginx by path or by content; Apache by content; others left alone', () => {
    expect(findNginxConfigs(repo)).toEqual(['docker/templates/default.conf.template', 'nginx/app.conf']);
    expect(findApacheConfigs(repo)).toEqual(['deploy/site.conf']);
    expect(repo.files.filter(isCaddyfilePath)).toEqual(['Caddyfile']);
  });
});
