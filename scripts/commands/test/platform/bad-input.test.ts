/**
 * "Bad input, named" for the pipeline and the journeys: each ends with one line on stderr
 * and a non-zero exit, and nothing after a failed stage runs. These need no running space:
 * a closed port, or a stub server standing in for a base URL that answers wrongly.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { lines, script } from '../../../lib/testing/run-script';
import { manifestAppNames, only, REFERENCE_APPS } from '../../../lib/testing/bundle-apps';
/** The apps whose /version the journeys ask: every app of the manifest. */
const { APPS } = require('../../../../e2e/src/journeys/versions') as { APPS: string[] };

/** A bad argument: exit 2, nothing on stdout, the script's usage line first and then `line`. */
const badArgument = (name: string, line: string) => ({
  status: 2,
  stdout: '',
  stderr: expect.stringMatching(new RegExp(`^usage: scripts/${name} [^\n]*\n${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n$`)),
});

/** A server on 127.0.0.1 answering with `handler`; resolves with its base URL and a close(). */
async function stub(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * A PATH holding node alone (the scripts' sh wrappers need nothing else): cf is surely
 * missing, so a push to a space fails at its first check, before building or touching any space.
 */
function pathWithNodeOnly(): string {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-path-'));
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  return bin;
}

describe('scripts/pipeline', () => {
  test('when the stage is unknown, then exit 2 with the usage line and one line naming the stages, and nothing runs', async () => {
    const result = await script('pipeline', ['--from', 'deploy']);

    expect(result).toEqual(
      badArgument(
        'pipeline',
        'pipeline: unknown stage "deploy" (stages: test, bump, push-staging, e2e-staging, push-production, smoke-production)',
      ),
    );
  });

  test('when the target is unknown, then exit 2 with the usage line and one line naming the targets, and nothing runs', async () => {
    const result = await script('pipeline', ['--target', 'aws']);

    expect(result).toEqual(badArgument('pipeline', 'pipeline: unknown target "aws" (known: local, cf, heroku)'));
  });

  test('when a test environment is unknown, then exit 2 with the usage line and one line before any stage runs', async () => {
    const result = await script('pipeline', ['--test-env', 'unit,smoke']);

    expect(result).toEqual(
      badArgument(
        'pipeline',
        'pipeline: unknown test environment smoke (known: lint, typecheck, unit, service, platform, coverage, or all)',
      ),
    );
  });

  test('when --to comes before --from, then exit 2 with the usage line and one line, and nothing runs', async () => {
    const result = await script('pipeline', ['--from', 'e2e-staging', '--to', 'bump']);

    expect(result).toEqual(badArgument('pipeline', 'pipeline: --to bump comes before --from e2e-staging'));
  });

  test('when --to names a stage, then the stages after it are skipped', async () => {
    const bin = pathWithNodeOnly();
    try {
      const result = await script('pipeline', ['--target', 'cf', '--from', 'push-staging', '--to', 'push-staging'], { PATH: bin });

      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/^pipeline: target cf, stages push-staging$/m);
      for (const stage of ['e2e-staging', 'push-production', 'smoke-production'])
        expect(result.stdout).toMatch(new RegExp(`^${stage} +skipped +-$`, 'm'));
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  test('when a stage fails, then the pipeline stops there with one line and no later stage runs', async () => {
    const bin = pathWithNodeOnly();
    try {
      const result = await script('pipeline', ['--target', 'cf', '--from', 'push-staging'], { PATH: bin });

      expect(result.status).toBe(1);
      expect(lines(result.stderr)).toEqual([
        expect.stringMatching(/^push: cf is not installed/),
        'pipeline: stopped at push-staging: the push to staging failed (exit 1)',
      ]);
      expect(result.stdout).toMatch(/^push-staging +FAIL +\d+\.\ds$/m);
      for (const stage of ['e2e-staging', 'push-production', 'smoke-production'])
        expect(result.stdout).toMatch(new RegExp(`^${stage} +not run +-$`, 'm'));
      expect(result.stdout).not.toMatch(/scripts\/push production/);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe('scripts/e2e', () => {
  test('when the base URL does not answer, then exit 1 with one line and no journey runs', async () => {
    const closed = await stub(() => undefined);
    await closed.close();

    const result = await script('e2e', [closed.url]);

    expect(result).toEqual({ status: 1, stdout: '', stderr: `e2e: ${closed.url} does not answer (ECONNREFUSED)\n` });
  });

  test('when the base URL answers but not as the chat, then exit 1 with one line and no journey runs', async () => {
    const other = await stub((_request, response) => response.writeHead(404).end());
    try {
      const result = await script('e2e', [other.url]);

      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(lines(result.stderr)).toEqual([
        expect.stringMatching(new RegExp(`^e2e: ${other.url} answers, but not as the chat: GET / -> 404 \\(request id e2e-[0-9a-f-]+\\)$`)),
      ]);
    } finally {
      await other.close();
    }
  });

  test('when the --user credentials are wrong, then exit 1 with one line naming the user and the request id', async () => {
    // Stands in for the router: the ui on /, and the tokens app refusing the log-in.
    const chat = await stub((request, response) => {
      if (request.method === 'POST' && request.url === '/api/tokens') {
        response.writeHead(401, { 'content-type': 'application/json', 'x-request-id': 'req-401' });
        response.end(
          JSON.stringify({ error: { code: 'invalid_credentials', message: 'wrong nickname or password', request_id: 'req-401' } }),
        );
      } else response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html>');
    });
    try {
      const result = await script('e2e', [chat.url, '--user', 'alice:not-her-password']);

      expect(result).toEqual({
        status: 1,
        stdout: '',
        stderr: 'e2e: wrong credentials for --user alice (401 invalid_credentials, request id req-401)\n',
      });
    } finally {
      await chat.close();
    }
  });

  test('when the base URL is not a URL, then exit 2 with the usage line and one line', async () => {
    const result = await script('e2e', ['staging']);

    expect(result).toEqual(badArgument('e2e', 'e2e: "staging" is not a URL (e.g. http://127.0.0.1:8081)'));
  });

  test('when a journey is unknown, then exit 2 with the usage line and one line naming the journeys', async () => {
    const result = await script('e2e', ['http://127.0.0.1:9', '--only', 'checkout']);

    expect(result.status).toBe(2);
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(/^usage: scripts\/e2e /),
      expect.stringMatching(/^e2e: unknown journey checkout \(known: sign-up-and-log-in, .*smoke\)$/),
    ]);
  });

  test('the apps the journeys ask for /version are those of the manifest, the reference five in their order', () => {
    expect(only(APPS, REFERENCE_APPS)).toEqual(REFERENCE_APPS);
    expect([...APPS].sort()).toEqual(manifestAppNames().sort());
  });

  test.each([
    [
      'ui=http://127.0.0.1:5100',
      `e2e: --app-url gives no URL for ${APPS.find((app) => app !== 'ui')}: use one URL with {app} in it, or app=url for each of ${APPS.join(', ')}`,
    ],
    [
      ['ui=x', ...APPS.filter((app) => app !== 'ui').map((app) => `${app}=http://a`)].join(','),
      'e2e: --app-url: "x" (for ui) is not a URL',
    ],
  ])('when --app-url is %s, then exit 2 with the usage line and one line before any request', async (appUrl, line) => {
    const result = await script('e2e', ['http://127.0.0.1:9', '--app-url', appUrl]);

    expect(result).toEqual(badArgument('e2e', line));
  });
});
