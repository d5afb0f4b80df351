import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, createLogger, type KitApp } from '@bundle/kit';
import { logSink } from '@bundle/kit/testing';
import request from 'supertest';
import { createUiApp } from '../../src/app';
import { CONTENT_SECURITY_POLICY } from '../../src/security';

// The real client build, into a folder of this test file's own (the build is what ships).
const { buildClient } = require('../../scripts/build-client.js') as typeof import('../../scripts/build-client.js');

const identity = { app: 'ui', version: '9.9.9', commit: 'abc123', space: 'test', instance: '0' };
let outDir: string;
let built: Awaited<ReturnType<typeof buildClient>>;
let app: KitApp;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'ui-public-'));
  built = await buildClient({ outDir });
  app = createUiApp({ identity, logger: createLogger(identity, 'info', logSink().stream), publicDir: outDir, processMetrics: false });
});

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

/** supertest buffers only text and JSON by default; assets are compared as bytes. */
function bytes(res: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('GET /', () => {
  test('when asked, then 200 HTML naming the hashed bundle, revalidated on every load, with a strict CSP, no referrer and no embedding by other sites', async () => {
    const res = await request(app.callback()).get('/');
    expect({
      status: res.status,
      type: res.headers['content-type'],
      cacheControl: res.headers['cache-control'],
      csp: res.headers['content-security-policy'],
      referrerPolicy: res.headers['referrer-policy'],
      resourcePolicy: res.headers['cross-origin-resource-policy'],
      etag: /^"[\w-]{27}"$/.test(String(res.headers.etag)),
      script: res.text.includes(`<script src="${built.script}" defer></script>`),
      stylesheet: res.text.includes(`<link rel="stylesheet" href="${built.stylesheet}" />`),
      inlineScripts: res.text.match(/<script(?![^>]*\ssrc=)[^>]*>/g) ?? [],
    }).toEqual({
      status: 200,
      type: 'text/html; charset=utf-8',
      cacheControl: 'no-cache',
      csp: CONTENT_SECURITY_POLICY,
      referrerPolicy: 'no-referrer',
      resourcePolicy: 'same-origin',
      etag: true,
      script: true,
      stylesheet: true,
      inlineScripts: [],
    });
  });

  test('when the CSP is read, then it allows only this origin and nothing inline', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((directive) => [directive.split(' ')[0], directive.split(' ').slice(1).join(' ')]),
    );
    expect({
      defaultSrc: directives['default-src'],
      scriptSrc: directives['script-src'],
      styleSrc: directives['style-src'],
      connectSrc: directives['connect-src'],
      frameAncestors: directives['frame-ancestors'],
      unsafe: /unsafe-(inline|eval)/.test(CONTENT_SECURITY_POLICY),
    }).toEqual({
      defaultSrc: "'self'",
      scriptSrc: "'self'",
      styleSrc: "'self'",
      connectSrc: "'self'",
      frameAncestors: "'none'",
      unsafe: false,
    });
  });

  test('when the browser already has this page (If-None-Match), then 304 without a body', async () => {
    const first = await request(app.callback()).get('/');
    const res = await request(app.callback()).get('/').set('If-None-Match', String(first.headers.etag));
    expect({ status: res.status, text: res.text, etag: res.headers.etag }).toEqual({ status: 304, text: '', etag: first.headers.etag });
  });

  test('when the page is reached through https (X-Forwarded-Proto), then the CSP also upgrades insecure requests', async () => {
    const res = await request(app.callback()).get('/').set('X-Forwarded-Proto', 'https');
    expect(res.headers['content-security-policy']).toBe(`${CONTENT_SECURITY_POLICY}; upgrade-insecure-requests`);
  });

  test('when HEAD, then the headers without a body', async () => {
    const res = await request(app.callback()).head('/');
    expect({ status: res.status, type: res.headers['content-type'], text: res.text }).toEqual({
      status: 200,
      type: 'text/html; charset=utf-8',
      text: undefined,
    });
  });

  test('when POSTed to, then 405 JSON', async () => {
    const res = await request(app.callback()).post('/').send({});
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 405, code: 'method_not_allowed' });
  });
});

describe('GET /assets/:file', () => {
  test.each([
    ['script', () => built.script, 'text/javascript; charset=utf-8'],
    ['stylesheet', () => built.stylesheet, 'text/css; charset=utf-8'],
    ['icon', () => built.icon, 'image/svg+xml'],
  ])('when the %s is asked for, then its bytes with its content type, cached for a year', async (_name, path, type) => {
    const res = await request(app.callback()).get(path()).set('Accept-Encoding', 'identity').buffer(true).parse(bytes);
    const onDisk = readFileSync(join(outDir, path()));
    expect({
      status: res.status,
      type: res.headers['content-type'],
      cacheControl: res.headers['cache-control'],
      same: onDisk.equals(res.body as Buffer),
    }).toEqual({
      status: 200,
      type,
      cacheControl: 'public, max-age=31536000, immutable',
      same: true,
    });
  });

  test('when the client accepts brotli, then the precompressed file is sent, varying on Accept-Encoding', async () => {
    const res = await request(app.callback()).get(built.script).set('Accept-Encoding', 'br, gzip').buffer(true).parse(bytes);
    expect({
      status: res.status,
      encoding: res.headers['content-encoding'],
      vary: res.headers.vary,
      type: res.headers['content-type'],
    }).toEqual({
      status: 200,
      encoding: 'br',
      vary: 'Accept-Encoding',
      type: 'text/javascript; charset=utf-8',
    });
  });

  test('when a source map is asked for, then 404 JSON unless UI_SERVE_SOURCE_MAPS is on', async () => {
    const debugging = createUiApp({
      identity,
      logger: createLogger(identity, 'info', logSink().stream),
      publicDir: outDir,
      processMetrics: false,
      serveSourceMaps: true,
    });
    const paths = [`${built.script}.map`, `${built.stylesheet}.map`];
    const hidden = await Promise.all(
      paths.map(async (path) => (await request(app.callback()).get(path).set('Accept-Encoding', 'br, gzip')).status),
    );
    const served = await Promise.all(paths.map(async (path) => (await request(debugging.callback()).get(path)).status));
    expect({ hidden, served }).toEqual({ hidden: [404, 404], served: [200, 200] });
  });

  test('when the file does not exist, then 404 JSON', async () => {
    const res = await request(app.callback()).get('/assets/app-NOPE.js');
    expect({ status: res.status, type: res.headers['content-type'], error: res.body.error }).toEqual({
      status: 404,
      type: 'application/json; charset=utf-8',
      error: { code: 'not_found', message: 'no route for GET /assets/app-NOPE.js', request_id: expect.any(String) },
    });
  });

  test('when the path climbs out of the folder or names the page, then nothing but a 4xx', async () => {
    const paths = [
      '/assets/../index.html',
      '/assets/%2e%2e/index.html',
      '/assets/..%2f..%2fpackage.json',
      '/index.html',
      '/assets/',
      '/assets',
    ];
    const answers = await Promise.all(paths.map(async (path) => (await request(app.callback()).get(path)).status));
    expect(answers.map((status) => status >= 400 && status < 500)).toEqual(paths.map(() => true));
  });

  test('when the bundle is read, then it never uses an HTML sink for anything', () => {
    const script = readFileSync(join(outDir, built.script), 'utf8');
    expect({ size: script.length > 1000, sinks: script.match(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/g) ?? [] }).toEqual({
      size: true,
      sinks: [],
    });
  });
});

describe('ops routes', () => {
  test('when /health, /ready and /version are asked, then the ui is alive, ready with no checks, and says who it is', async () => {
    const [health, ready, version] = await Promise.all(['/health', '/ready', '/version'].map((path) => request(app.callback()).get(path)));
    expect([health?.status, health?.body, ready?.status, ready?.body, version?.status, version?.body]).toEqual([
      200,
      { status: 'ok' },
      200,
      { status: 'ready', checks: {} },
      200,
      { app: 'ui', version: '9.9.9', commit: 'abc123' },
    ]);
  });
});

describe('GET /openapi.json', () => {
  test('when read, then it documents exactly the routes the app answers, and each answers', async () => {
    const res = await request(app.callback()).get('/openapi.json');
    const paths = Object.keys(res.body.paths as Record<string, unknown>).sort();
    const statuses = await Promise.all(
      paths.map(async (path) => (await request(app.callback()).get(path.replace('{file}', built.script.slice('/assets/'.length)))).status),
    );
    expect({ status: res.status, paths, statuses }).toEqual({
      status: 200,
      paths: ['/', '/assets/{file}', '/health', '/metrics', '/openapi.json', '/ready', '/version'],
      statuses: paths.map(() => 200),
    });
  });
});

describe('createUiApp', () => {
  test('when the client has not been built, then a ConfigError in one line says to run the build', () => {
    const missing = join(outDir, 'missing');
    let caught: unknown;
    try {
      createUiApp({ identity, logger: createLogger(identity, 'silent'), publicDir: missing, processMetrics: false });
    } catch (error) {
      caught = error;
    }
    expect({ isConfigError: caught instanceof ConfigError, message: (caught as Error).message }).toEqual({
      isConfigError: true,
      message: `UI_PUBLIC_DIR: no built web client in ${missing} (run \`npm run build\` first)`,
    });
  });
});
