import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type KitApp } from '@bundle/kit';
import request from 'supertest';
import { createUiApp } from '../../../../apps/ui/src/app';

// Round 2, item 9: the ui sent no Permissions-Policy, and HSTS is only right over https
// (RFC 6797 7.2): the kit reads the scheme from the trusted router's X-Forwarded-Proto.
const { buildClient } =
  require('../../../../apps/ui/scripts/build-client.js') as typeof import('../../../../apps/ui/scripts/build-client.js');

const identity = { app: 'ui', version: '9.9.9', commit: 'abc123', space: 'test', instance: '0' };
let outDir: string;
let built: Awaited<ReturnType<typeof buildClient>>;
let app: KitApp;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'ui-hostile-'));
  built = await buildClient({ outDir });
  app = createUiApp({ identity, logger: createLogger(identity, 'silent'), publicDir: outDir, processMetrics: false });
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const routes = (): string[] => ['/', built.script, built.stylesheet, '/openapi.json', '/no-such-page'];
const headersOf = async (path: string, proto?: string) => {
  let call = request(app.callback()).get(path).set('X-Forwarded-For', '203.0.113.9');
  if (proto) call = call.set('X-Forwarded-Proto', proto);
  const response = await call;
  return [path, response.status, response.headers['strict-transport-security'], response.headers['permissions-policy']];
};

describe('the ui page headers', () => {
  test('when asked over https (the router says so), then every route carries HSTS and a Permissions-Policy that turns the camera, microphone and location off', async () => {
    const answers = await Promise.all(routes().map((path) => headersOf(path, 'https')));

    expect(answers.map(([path, status, hsts]) => [path, status, hsts])).toEqual(
      routes().map((path) => [path, path === '/no-such-page' ? 404 : 200, 'max-age=31536000; includeSubDomains']),
    );
    for (const [, , , policy] of answers) expect(String(policy)).toMatch(/(^|, )camera=\(\)(,|$).*microphone=\(\).*/);
    expect(String(answers[0]?.[3])).toMatch(/geolocation=\(\)/);
  });

  test('when asked over http, then no HSTS (it would mean nothing there), and the Permissions-Policy all the same', async () => {
    const answers = await Promise.all(routes().map((path) => headersOf(path)));

    expect(answers.map(([path, , hsts, policy]) => [path, hsts, typeof policy])).toEqual(
      routes().map((path) => [path, undefined, 'string']),
    );
  });
});
