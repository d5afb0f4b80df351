import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadOpenApi } from '@bundle/kit';
import request from 'supertest';
import { createUiApp } from '../../src/app';

const identity = { app: 'ui', version: '0.0.0-test', commit: 'test', space: 'test', instance: '0' };
let publicDir: string;
beforeAll(() => {
  // A client build in miniature: enough for the app to start.
  publicDir = mkdtempSync(join(tmpdir(), 'ui-openapi-'));
  mkdirSync(join(publicDir, 'assets'));
  writeFileSync(join(publicDir, 'assets', 'app-ABCDEF12.js'), 'console.log(1);\n');
  writeFileSync(join(publicDir, 'index.html'), '<!doctype html><title>chat</title><script src="/assets/app-ABCDEF12.js"></script>\n');
});
afterAll(() => rmSync(publicDir, { recursive: true, force: true }));

describe('GET /openapi.json', () => {
  test('when asked, then it is openapi.yaml itself', async () => {
    const app = createUiApp({ identity, logger: createLogger(identity, 'silent'), publicDir, processMetrics: false });
    const response = await request(app.callback()).get('/openapi.json');

    expect({ status: response.status, body: response.body as unknown }).toEqual({
      status: 200,
      body: loadOpenApi(join(__dirname, '..', '..', 'openapi.yaml')),
    });
  });
});
