import { isNginxConfigPath, looksLikeNginx, nginxFacts, parseAddress, parseNginx } from '../src/parse/nginx.js';

const F = 'nginx/default.conf';
const loc = (line: number, column: number, endLine: number, endColumn: number) => ({ file: F, line, column, endLine, endColumn });

describe('parseNginx', () => {
  test('directives, nested blocks, quotes, comments and include, with positions', () => {
    const text = [
      '# main config',
      'user  nginx;',
      'events { worker_connections 1024; }',
      'http {',
      '    include /etc/nginx/mime.types;',
      '    server {',
      "        server_name 'example.com' \"www.example.com\"; # names",
      '        location /static/ {',
      '            alias "/home/app/web/static files/";',
      '        }',
      '    }',
      '}',
      '',
    ].join('\n');
    const { directives, issues } = parseNginx(text, F);
    expect(issues).toEqual([]);
    expect(directives.map((d) => d.name)).toEqual(['user', 'events', 'http']);

    const [user, events, http] = directives;
    expect(user.args).toEqual([{ value: 'nginx', loc: loc(2, 7, 2, 12) }]);
    expect(user.loc).toEqual(loc(2, 1, 2, 13));
    expect(user.block).toBeNull();
    expect(events.loc).toEqual(loc(3, 1, 3, 36));
    expect(events.block!.map((d) => [d.name, d.args.map((a) => a.value)])).toEqual([['worker_connections', ['1024']]]);

    expect(http.loc).toEqual(loc(4, 1, 12, 2));
    const [include, server] = http.block!;
    expect(include.name).toBe('include');
    expect(include.args).toEqual([{ value: '/etc/nginx/mime.types', loc: loc(5, 13, 5, 34) }]);
    const [names, location] = server.block!;
    expect(names.args).toEqual([
      { value: 'example.com', loc: loc(7, 21, 7, 34) },
      { value: 'www.example.com', loc: loc(7, 35, 7, 52) },
    ]);
    expect(location.name).toBe('location');
    expect(location.loc).toEqual(loc(8, 9, 10, 10));
    expect(location.block![0].args).toEqual([{ value: '/home/app/web/static files/', loc: loc(9, 19, 9, 48) }]);
  });

  test('escapes and ${var} braces stay inside words', () => {
    const text = 'set $a "say \\"hi\\"";\nreturn 301 https://${host}$request_uri;\nlog_format x \'a\\tb\';\n';
    const { directives, issues } = parseNginx(text, F);
    expect(issues).toEqual([]);
    expect(directives.map((d) => d.args.map((a) => a.value))).toEqual([
      ['$a', 'say "hi"'],
      ['301', 'https://${host}$request_uri'],
      ['x', 'a\tb'],
    ]);
    expect(directives[1].args[1].loc).toEqual(loc(2, 12, 2, 39));
  });

  test('a lua block body is skipped as raw text', () => {
    const text = 'location /x {\n  content_by_lua_block {\n    ngx.say("}")\n  }\n}\nlisten 80;\n';
    const { directives, issues } = parseNginx(text, F);
    expect(issues).toEqual([]);
    expect(directives.map((d) => d.name)).toEqual(['location', 'listen']);
    expect(directives[0].block![0].name).toBe('content_by_lua_block');
    expect(directives[0].block![0].loc).toEqual(loc(2, 3, 4, 4));
  });

  test('an unclosed block is reported at its brace', () => {
    const { directives, issues } = parseNginx('server {\n    listen 80;\n', F);
    expect(issues).toEqual([{ message: "unexpected end of file: this block is not closed with '}'", loc: loc(1, 8, 1, 9) }]);
    expect(directives[0].block!.map((d) => d.name)).toEqual(['listen']);
  });

  test('a stray brace, a missing semicolon and an unterminated string, each with its position', () => {
    const text = 'listen 80;\n}\nserver {\n    listen 8080\n}\nroot "/var/www;\n';
    const { directives, issues } = parseNginx(text, F);
    expect(issues).toEqual([
      { message: "unexpected '}'", loc: loc(2, 1, 2, 2) },
      { message: "expecting ';' after 'listen' before '}'", loc: loc(4, 5, 4, 16) },
      { message: 'unterminated double-quoted string', loc: loc(6, 6, 7, 1) },
      { message: "unexpected end of file, expecting ';' or '}' after 'root'", loc: loc(6, 1, 7, 1) },
    ]);
    expect(directives.map((d) => d.name)).toEqual(['listen', 'server']);
    expect(directives[1].block).toEqual([]);
  });

  test('a semicolon with no directive and text glued to a quote are errors', () => {
    const { issues } = parseNginx('  ;\nroot "/a"b;\n', F);
    expect(issues).toEqual([
      { message: "unexpected ';'", loc: loc(1, 3, 1, 4) },
      { message: "unexpected 'b' after a quoted string", loc: loc(2, 10, 2, 11) },
    ]);
  });

  test('never throws on junk', () => {
    for (const junk of ['{{{{', '}}}}', '"', "'\\", ';;;{', 'a { b { c', '\u0000\u0001 {', 'a {'.repeat(100000), '{'.repeat(100000)]) {
      expect(() => parseNginx(junk, F)).not.toThrow();
      expect(parseNginx(junk, F).issues.length).toBeGreaterThan(0);
    }
  });
});

describe('nginxFacts', () => {
  test('docker-style config: upstream block resolved, static alias', () => {
    const text = [
      'upstream app {',
      '    server web:8000;',
      '}',
      '',
      'server {',
      '    listen 80;',
      '',
      '    location / {',
      '        proxy_pass http://app;',
      '        proxy_set_header Host $host;',
      '    }',
      '',
      '    location /static/ {',
      '        alias /home/app/web/staticfiles/;',
      '    }',
      '}',
    ].join('\n');
    const { directives, issues } = parseNginx(text, F);
    expect(issues).toEqual([]);
    const facts = nginxFacts(directives, F);
    expect(facts.server).toBe('nginx');
    expect(facts.upstreams).toEqual([
      {
        target: 'web:8000',
        kind: 'upstream-server',
        loc: loc(2, 12, 2, 20),
        host: 'web',
        port: 8000,
        socket: null,
        variable: false,
        upstream: 'app',
        via: loc(9, 20, 9, 30),
      },
    ]);
    expect(facts.staticLocations).toEqual([
      {
        prefix: '/static/',
        modifier: '',
        alias: '/home/app/web/staticfiles/',
        root: null,
        loc: loc(13, 5, 15, 6),
        valueLoc: loc(14, 15, 14, 41),
      },
    ]);
  });

  test('unix socket, root, inherited root and a location that proxies', () => {
    const text = [
      'server {',
      '    listen 80;',
      '    root /var/www/example;',
      '    location = /favicon.ico { access_log off; }',
      '    location /static/ {',
      '        root /home/sammy/myprojectdir;',
      '    }',
      '    location / {',
      '        include proxy_params;',
      '        proxy_pass http://unix:/run/gunicorn.sock;',
      '    }',
      '}',
    ].join('\n');
    const facts = nginxFacts(parseNginx(text, F).directives, F);
    expect(facts.staticLocations).toEqual([
      { prefix: '/favicon.ico', modifier: '=', alias: null, root: '/var/www/example', rootInherited: true, loc: loc(4, 5, 4, 48) },
      { prefix: '/static/', modifier: '', alias: null, root: '/home/sammy/myprojectdir', loc: loc(5, 5, 7, 6), valueLoc: loc(6, 14, 6, 38) },
    ]);
    expect(facts.upstreams).toEqual([
      { target: 'unix:/run/gunicorn.sock', kind: 'proxy_pass', loc: loc(10, 20, 10, 50), host: null, port: null, socket: '/run/gunicorn.sock', variable: false },
    ]);
  });

  test('uwsgi_pass, ports, variables, regex locations and an unused upstream', () => {
    const text = [
      'upstream unused { server 10.0.0.1:9000; }',
      'upstream django { server unix:///tmp/uwsgi.sock; server 127.0.0.1:8001 weight=2; }',
      'server {',
      '    location ~* ^/static/(.*)$ { alias /app/static/$1; }',
      '    location /api/ { proxy_pass http://127.0.0.1:8000/api/; }',
      '    location /ws/ { proxy_pass http://$backend; }',
      '    location /legacy/ { uwsgi_pass django; }',
      '    location /plain/ { proxy_pass http://web; }',
      '    location /up/ { proxy_pass http://unused:9000; }',
      '}',
    ].join('\n');
    const facts = nginxFacts(parseNginx(text, F).directives, F);
    expect(facts.staticLocations.map((s) => [s.modifier, s.prefix, s.alias])).toEqual([['~*', '^/static/(.*)$', '/app/static/$1']]);
    expect(facts.upstreams.map((u) => [u.kind, u.target, u.upstream ?? null, u.variable])).toEqual([
      ['proxy_pass', '127.0.0.1:8000', null, false],
      ['proxy_pass', 'http://$backend', null, true],
      ['upstream-server', 'unix:/tmp/uwsgi.sock', 'django', false],
      ['upstream-server', '127.0.0.1:8001', 'django', false],
      ['proxy_pass', 'web:80', null, false],
      ['proxy_pass', 'unused:9000', null, false],
    ]);
  });
});

describe('parseAddress', () => {
  test.each([
    ['http://127.0.0.1:8000/', '127.0.0.1:8000', '127.0.0.1', 8000, null],
    ['https://api', 'api:443', 'api', 443, null],
    ['127.0.0.1:3031', '127.0.0.1:3031', '127.0.0.1', 3031, null],
    ['unix:/run/gunicorn.sock', 'unix:/run/gunicorn.sock', null, null, '/run/gunicorn.sock'],
    ['http://unix:/tmp/app.sock:/prefix/', 'unix:/tmp/app.sock', null, null, '/tmp/app.sock'],
    ['unix//run/app.sock', 'unix:/run/app.sock', null, null, '/run/app.sock'],
    ['unix:/run/app.sock|http://localhost/', 'unix:/run/app.sock', null, null, '/run/app.sock'],
    ['http://[::1]:8000', '[::1]:8000', '[::1]', 8000, null],
  ])('%s', (raw, target, host, port, socket) => {
    expect(parseAddress(raw)).toMatchObject({ target, host, port, socket });
  });
});

describe('which files are nginx configs', () => {
  test.each([
    ['nginx.conf', true],
    ['deploy/nginx.conf', true],
    ['nginx/default.conf', true],
    ['docker/nginx/templates/default.conf.template', true],
    ['compose/production/nginx/conf.d/app.conf', true],
    ['etc/nginx/sites-available/myproject', true],
    ['sites-enabled/site', true],
    ['config/myapp.nginx', true],
    ['nginx-prod.conf', true],
    ['supervisor/app.conf', false],
    ['templates/index.html', false],
    ['nginx/README.md', false],
    ['app.conf', false],
  ])('%s → %s', (p, expected) => {
    expect(isNginxConfigPath(p)).toBe(expected);
  });

  test('content sniff', () => {
    expect(looksLikeNginx('server {\n  listen 80;\n  location / { proxy_pass http://x; }\n}\n')).toBe(true);
    expect(looksLikeNginx('http {\n server {\n }\n}\n')).toBe(true);
    expect(looksLikeNginx('[program:web]\ncommand=gunicorn x\n')).toBe(false);
    expect(looksLikeNginx('# server { location / {} }\n')).toBe(false);
    expect(looksLikeNginx('<VirtualHost *:80>\nServerName x\n</VirtualHost>\n')).toBe(false);
  });
});
