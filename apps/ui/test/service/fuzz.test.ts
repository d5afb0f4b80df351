import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type KitApp } from '@bundle/kit';
import { fuzzRequests, runFuzz } from '@bundle/kit/testing';
import supertest from 'supertest';
import { createUiApp } from '../../src/app';

const OPENAPI_PATH = join(__dirname, '..', '..', 'openapi.yaml');
const identity = { app: 'ui', version: '0.0.0-test', commit: 'test', space: 'test', instance: '0' };
let publicDir: string;
let app: KitApp;

beforeAll(() => {
  // A client build in miniature: the page and one hashed asset are all the routes serve.
  publicDir = mkdtempSync(join(tmpdir(), 'ui-fuzz-'));
  mkdirSync(join(publicDir, 'assets'));
  writeFileSync(join(publicDir, 'assets', 'app-ABCDEF12.js'), 'console.log(1);\n');
  writeFileSync(join(publicDir, 'index.html'), '<!doctype html><title>chat</title><script src="/assets/app-ABCDEF12.js"></script>\n');
  app = createUiApp({ identity, logger: createLogger(identity, 'silent'), publicDir, processMetrics: false });
});
afterAll(() => rmSync(publicDir, { recursive: true, force: true }));

describe('malformed requests on every route (seeded fuzz from openapi.yaml)', () => {
  test('when sent, then each gets an answer below 500', async () => {
    const requests = fuzzRequests(OPENAPI_PATH, { seed: 20261202, perOperation: 30, credentials: {} });

    expect(requests.length).toBeGreaterThan(100);
    expect(await runFuzz(supertest(app.callback()), requests, 10_000)).toEqual([]);
  }, 60_000);
});
