import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownType, procfilePorts, processTypes } from '../../src/cli/procfile-ports';

const PROCFILE = [
  '# a comment',
  'router: node router.js',
  'ui: node -r ./env.js apps/ui/dist/main.js',
  '',
  'users: node -r ./env.js apps/users/dist/main.js',
  'worker: node w.js',
].join('\n');

describe('procfilePorts', () => {
  test.each([
    ['heroku local (base 5006)', 'router', 5006, [5006, 5106, 5206, 5306]],
    ['foreman (base 5000), asked by users', 'users', 5200, [5000, 5100, 5200, 5300]],
    ['-p 12345, asked by ui', 'ui', 12445, [12345, 12445, 12545, 12645]],
  ])('%s: every type at base + 100 per Procfile line', (_, self, port, expected) => {
    const ports = procfilePorts(PROCFILE, self, port);

    expect(ports instanceof Map ? [...ports.entries()] : ports).toEqual([
      ['router', expected[0]],
      ['ui', expected[1]],
      ['users', expected[2]],
      ['worker', expected[3]],
    ]);
  });

  test('when the type is not in the Procfile, then a reason naming the types', () => {
    expect(procfilePorts(PROCFILE, 'web', 5000)).toBe('process type "web" is not in the Procfile (types: router, ui, users, worker)');
  });

  test('when PORT is below what the line needs, then a reason', () => {
    expect(procfilePorts(PROCFILE, 'users', 150)).toBe(
      'PORT 150 cannot be the port of line 3 ("users") of the Procfile: the runner numbers lines base + 100 per line',
    );
  });

  test("processTypes skips comments and blank lines; ownType reads the runners' names", () => {
    expect(processTypes(PROCFILE).map((entry) => entry.type)).toEqual(['router', 'ui', 'users', 'worker']);
    expect([
      ownType({ FOREMAN_WORKER_NAME: 'users.1' }, 'x'),
      ownType({ PS: 'worker.2' }, 'x'),
      ownType({}, 'router'),
      ownType({}, undefined),
    ]).toEqual(['users', 'worker', 'router', undefined]);
  });
});

describe('the procfile-env preload', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'procfile-env-'));
    writeFileSync(join(dir, 'Procfile'), PROCFILE);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Loaded lazily: importing it runs it against this process's own environment, which names no placeholder.
  const expand = (env: Record<string, string>, script?: string): Record<string, string> => {
    const { expandPorts } = require('../../src/cli/procfile-env') as {
      expandPorts: (env: Record<string, string>, script: string | undefined, cwd: string) => void;
    };
    expandPorts(env, script, dir);
    return env;
  };

  test("fills {port:<type>} from this process's PORT and type, and leaves other values alone", () => {
    expect(
      expand({
        PORT: '5206',
        FOREMAN_WORKER_NAME: 'users.1',
        USERS_URL: 'http://127.0.0.1:{port:router}',
        JWKS_URL: 'http://127.0.0.1:{port:router}/.well-known/jwks.json',
        TOKEN_ISSUER: 'urn:x',
      }),
    ).toEqual({
      PORT: '5206',
      FOREMAN_WORKER_NAME: 'users.1',
      USERS_URL: 'http://127.0.0.1:5006',
      JWKS_URL: 'http://127.0.0.1:5006/.well-known/jwks.json',
      TOKEN_ISSUER: 'urn:x',
    });
  });

  test("without the runner's name, the type is the Procfile line that runs this script", () => {
    expect(expand({ PORT: '7100', USERS_URL: 'http://127.0.0.1:{port:router}' }, join(dir, 'apps/ui/dist/main.js')).USERS_URL).toBe(
      'http://127.0.0.1:7000',
    );
  });
});
