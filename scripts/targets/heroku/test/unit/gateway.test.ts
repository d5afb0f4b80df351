/**
 * The Heroku gateway's generator, without I/O: the route table from a manifest, the ERB
 * subset it runs locally, the limits it sets against the apps' own, and the Procfile ports.
 */
import http from 'node:http';
import { schema as pushSchema } from '../../../../../apps/push/src/config';

const { routesOf } = require('../../gateway/routes') as {
  routesOf(manifest: { apps: { name: string; routes: { route: string; host: string; path: string; internal: boolean }[] }[] }): {
    prefix: string;
    app: string;
  }[];
};
const { renderConfig, READ_TIMEOUT_SECONDS, HEADER_BUFFER, upstreamVar } = require('../../gateway/config') as {
  renderConfig(routes: { prefix: string; app: string }[]): string;
  READ_TIMEOUT_SECONDS: number;
  HEADER_BUFFER: string;
  upstreamVar(app: string): string;
};
const { renderErb } = require('../../gateway/erb') as { renderErb(template: string, env: Record<string, string>): string };
const { procfileUpstreams } = require('../../gateway/local') as {
  procfileUpstreams(procfile: string, base: number, routes: { prefix: string; app: string }[]): Record<string, string> | string;
};

/** A manifest's app with routes written as in manifest.yml (host[:port][/path]). */
function app(name: string, ...routes: string[]) {
  return {
    name,
    routes: routes.map((route) => {
      const [hostPort = '', ...rest] = route.split('/');
      const host = hostPort.replace(/:\d+$/, '');
      return { route, host, path: rest.length > 0 ? `/${rest.join('/')}` : '', internal: host.endsWith('.apps.internal') };
    }),
  };
}

const CHAT = [
  app('ui', 'chat.example.com', 'chat-ui.example.com'),
  app('users', 'chat.example.com/api/users', 'chat-users.example.com', 'chat-users.apps.internal'),
  app('tokens', 'chat.example.com/api/tokens', 'chat.example.com/.well-known/jwks.json', 'chat-tokens.example.com'),
  app('push', 'chat.example.com/api/events'),
];

describe('routesOf(manifest)', () => {
  test('when apps route paths on one host, then one route per prefix, longest first, the bare host as /, own and internal hosts left out', () => {
    expect(routesOf({ apps: CHAT })).toEqual([
      { prefix: '/.well-known/jwks.json', app: 'tokens' },
      { prefix: '/api/events', app: 'push' },
      { prefix: '/api/tokens', app: 'tokens' },
      { prefix: '/api/users', app: 'users' },
      { prefix: '/', app: 'ui' },
    ]);
  });

  test('when a route has a wildcard host, then one line naming the route and the app', () => {
    expect(() => routesOf({ apps: [...CHAT, app('notes', '*.example.com/api/notes')] })).toThrow(
      'manifest.yml: route *.example.com/api/notes of app notes has a wildcard host, which the Heroku gateway cannot route (it serves one host, by path)',
    );
  });

  test('when a route names a port, then one line naming the route and the app', () => {
    expect(() => routesOf({ apps: [...CHAT, app('notes', 'chat.example.com:8443/api/notes')] })).toThrow(
      'manifest.yml: route chat.example.com:8443/api/notes of app notes names a port, which the Heroku gateway cannot route (Heroku serves it on 443 only)',
    );
  });

  test('when paths are routed on two hosts, then one line naming both', () => {
    expect(() => routesOf({ apps: [...CHAT, app('notes', 'other.example.com/api/notes')] })).toThrow(
      'manifest.yml routes paths on 2 hosts (chat.example.com, other.example.com): the Heroku gateway serves one',
    );
  });
});

describe('the generated nginx.conf.erb', () => {
  const config = renderConfig(routesOf({ apps: CHAT }));

  test('when rendered, then each prefix is the path itself and what is under it, to its app', () => {
    const locations = config.split('\n').filter((line) => line.trim().startsWith('location'));
    expect(locations.map((line) => line.trim())).toEqual([
      "location = /.well-known/jwks.json { set $upstream <%= ENV.fetch('TOKENS_URL') %>; proxy_pass $upstream; }",
      "location ^~ /.well-known/jwks.json/ { set $upstream <%= ENV.fetch('TOKENS_URL') %>; proxy_pass $upstream; }",
      "location = /api/events { set $upstream <%= ENV.fetch('PUSH_URL') %>; proxy_pass $upstream; }",
      "location ^~ /api/events/ { set $upstream <%= ENV.fetch('PUSH_URL') %>; proxy_pass $upstream; }",
      "location = /api/tokens { set $upstream <%= ENV.fetch('TOKENS_URL') %>; proxy_pass $upstream; }",
      "location ^~ /api/tokens/ { set $upstream <%= ENV.fetch('TOKENS_URL') %>; proxy_pass $upstream; }",
      "location = /api/users { set $upstream <%= ENV.fetch('USERS_URL') %>; proxy_pass $upstream; }",
      "location ^~ /api/users/ { set $upstream <%= ENV.fetch('USERS_URL') %>; proxy_pass $upstream; }",
      "location / { set $upstream <%= ENV.fetch('UI_URL') %>; proxy_pass $upstream; }",
    ]);
  });

  test('when rendered, then the Host is the target app’s, with SNI, one X-Forwarded-For hop, the request id, streams unbuffered', () => {
    for (const directive of [
      'proxy_set_header Host $proxy_host;',
      'proxy_ssl_server_name on;',
      'proxy_ssl_verify on;',
      'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      'proxy_set_header X-Request-Id $gateway_request_id;',
      '"~^[A-Za-z0-9+/=-]{20,200}$" $http_x_request_id;',
      'proxy_buffering off;',
      `proxy_read_timeout ${READ_TIMEOUT_SECONDS}s;`,
      "listen <%= ENV['GATEWAY_HOST'] || '0.0.0.0' %>:<%= ENV.fetch('PORT') %>;",
    ])
      expect(config).toContain(directive);
    // Nothing of the apps' response headers is added, hidden or replaced.
    expect(config).not.toMatch(/add_header|proxy_hide_header|more_set_headers/);
  });

  test("when the limits are compared with the apps', then one header line as long as Node takes passes, and a 1 MiB body", () => {
    expect(HEADER_BUFFER).toBe(`${http.maxHeaderSize / 1024}k`);
    expect(config).toContain(`large_client_header_buffers 4 ${HEADER_BUFFER};`);
    expect(config).toContain('client_max_body_size 1m;');
  });

  // Heroku's router closes a connection that carried no byte for 55 s.
  test("when push's heartbeat is compared, then it comes well within the read timeout, which stays within Heroku's 55 s", () => {
    const heartbeat = (pushSchema.heartbeatSeconds as { default: number }).default;
    expect(heartbeat * 2).toBeLessThan(READ_TIMEOUT_SECONDS);
    expect(READ_TIMEOUT_SECONDS).toBeLessThanOrEqual(55);
  });
});

describe('renderErb(template, env)', () => {
  test("when tags read ENV.fetch and ENV[...] || default, then they are replaced as Ruby's erb would", () => {
    expect(
      renderErb("a <%= ENV.fetch('PORT') %> b <%= ENV['NGINX_WORKERS'] || 4 %> c <%= ENV['HOST'] || '0.0.0.0' %> d <%= ENV[\"X\"] %>.", {
        PORT: '5006',
      }),
    ).toBe('a 5006 b 4 c 0.0.0.0 d .');
  });

  test('when an ENV.fetch name is not set, then one line naming it', () => {
    expect(() => renderErb("<%= ENV.fetch('USERS_URL') %>", {})).toThrow(
      "USERS_URL is not set (the gateway's config reads it with ENV.fetch)",
    );
  });

  test('when a tag is outside the subset, then it is refused, not rendered differently', () => {
    expect(() => renderErb("<% if ENV['X'] %>", {})).toThrow(/^unsupported ERB tag <% if ENV\['X'\] %>/);
    expect(() => renderErb('<%= File.read("/etc/resolv.conf") %>', {})).toThrow(/^unsupported ERB tag/);
  });
});

describe('procfileUpstreams(procfile, base, routes)', () => {
  const procfile = [
    'router: node packages/platform/dist/cli/router.js',
    'ui: node -r ./packages/platform/dist/cli/procfile-env.js apps/ui/dist/main.js',
    'users: node -r ./packages/platform/dist/cli/procfile-env.js apps/users/dist/main.js',
  ].join('\n');

  test('when every routed app has a Procfile line, then each is on base + 100 per line, as the runners number them', () => {
    expect(
      procfileUpstreams(procfile, 5006, [
        { prefix: '/api/users', app: 'users' },
        { prefix: '/', app: 'ui' },
      ]),
    ).toEqual({
      USERS_URL: 'http://127.0.0.1:5206',
      UI_URL: 'http://127.0.0.1:5106',
    });
    expect(upstreamVar('notes-two')).toBe('NOTES_TWO_URL');
  });

  test('when a routed app has no line, or a line past the last port, then one line says which', () => {
    expect(procfileUpstreams(procfile, 5006, [{ prefix: '/api/notes', app: 'notes' }])).toBe(
      "the Procfile has no line running apps/notes/dist/main.js, where the gateway sends notes's routes",
    );
    expect(procfileUpstreams(procfile, 65500, [{ prefix: '/api/users', app: 'users' }])).toBe(
      "--base 65500: the Procfile's line 3 (users) would be on port 65700, past 65535",
    );
  });
});
