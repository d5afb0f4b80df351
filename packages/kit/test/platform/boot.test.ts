import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { bundledFixture } from '../support/bundled-fixture';
import { get } from '../support/http';

const repo = resolve(__dirname, '../../../..');
/** The fixture bundled with the kit's sources; packages stay external and resolve from the repo. */
const script = bundledFixture(join(__dirname, 'fixtures/boot-app.ts'), 'node20');

interface Run {
  child: ChildProcess;
  records: Array<Record<string, unknown>>;
  stdoutLines: string[];
  stderr(): string;
  exited: Promise<number | null>;
  /** Resolves with the first record that matches. */
  waitFor(predicate: (record: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

function start(env: Record<string, string>): Run {
  const child = spawn(process.execPath, [script()], {
    env: { PATH: process.env.PATH, NODE_PATH: join(repo, 'node_modules'), HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const records: Array<Record<string, unknown>> = [];
  const stdoutLines: string[] = [];
  const waiters: Array<{ predicate: (record: Record<string, unknown>) => boolean; resolve: (record: Record<string, unknown>) => void }> =
    [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    stdoutLines.push(line);
    const record = JSON.parse(line) as Record<string, unknown>; // a non-JSON line fails the test here
    records.push(record);
    for (const waiter of waiters.filter((candidate) => candidate.predicate(record))) waiter.resolve(record);
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    records,
    stdoutLines,
    stderr: () => stderr,
    exited,
    waitFor: (predicate) =>
      new Promise((resolve, reject) => {
        const found = records.find(predicate);
        if (found) resolve(found);
        else waiters.push({ predicate, resolve });
        void exited.then((code) => reject(new Error(`exited with ${code} first; stderr: ${stderr}`)));
      }),
  };
}

describe('boot: bad config', () => {
  test.each([
    [{ PORT: 'abc' }, /^config error: PORT: expected a port number from 0 to 65535: value was "abc"$/],
    [{ PORT: '70000' }, /^config error: PORT: expected a port number from 0 to 65535: value was 70000$/],
    [{ LOG_LEVEL: 'loud' }, /^config error: LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent/],
    [{ VCAP_SERVICES: '{' }, /^config error: VCAP_SERVICES: expected JSON/],
    [{ METRICS_TOKEN: 'too-short' }, /^config error: METRICS_TOKEN: expected a secret of at least 16 characters$/],
    [{ PUBLIC_VERSION: 'maybe' }, /^config error: PUBLIC_VERSION: expected true or false: value was "maybe"$/],
    [
      { SCENARIO: 'unbound', VCAP_SERVICES: '{"redis":[{"name":"cache","credentials":{}}]}' },
      /^config error: VCAP_SERVICES: no binding named or tagged "users-db" \(bound: cache\)/,
    ],
  ])('when %j, then exit 1 with one line on stderr naming the variable', async (env, expected) => {
    const run = start(env);
    expect(await run.exited).toBe(1);
    const lines = run
      .stderr()
      .split('\n')
      .filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
    expect(run.stdoutLines).toEqual([]);
  });
});

describe('boot: a running process', () => {
  test('when SIGTERM arrives during a request, then the request finishes and the process exits 0', async () => {
    const run = start({});
    const { port } = (await run.waitFor((record) => record.msg === 'listening')) as { port: number };
    const slow = get(port, '/slow');
    await run.waitFor((record) => record.msg === 'slow request started');
    run.child.kill('SIGTERM');
    expect(await slow).toMatchObject({ status: 200, body: '{"finished":true}' });
    expect(await run.exited).toBe(0);
    expect(run.records.map((record) => record.msg)).toEqual(expect.arrayContaining(['draining', 'request', 'stopped']));
    expect(run.records.every((record) => record.app === 'boot-test' && typeof record.time === 'string')).toBe(true);
    expect(run.stderr()).toBe('');
  });

  test('when a promise rejects unhandled, then one fatal JSON line and exit 1', async () => {
    const run = start({});
    const { port } = (await run.waitFor((record) => record.msg === 'listening')) as { port: number };
    await get(port, '/fail-later').catch(() => undefined);
    expect(await run.exited).toBe(1);
    const fatal = run.records.filter((record) => record.level === 'fatal');
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ msg: 'unhandled rejection', err: { message: 'nobody awaited this' } });
  });

  test('when thousands of lines of every size are logged and the process exits at once, then every line arrives whole and in order', async () => {
    const run = start({ SCENARIO: 'burst' });
    expect(await run.exited).toBe(0);
    const burst = run.records.filter((record) => record.msg === 'burst');
    expect(burst.map((record) => record.seq)).toEqual(Array.from({ length: 3000 }, (_, seq) => seq));
    expect(burst[1500]?.text).toBe('é✓'.repeat(50_000));
    expect(burst[699]?.text).toBe('x'.repeat(699));
  });

  describe('when the port is taken', () => {
    let blocker: Server;
    beforeAll(async () => {
      blocker = createServer().listen(0, '127.0.0.1');
      await once(blocker, 'listening');
    });
    afterAll(() => new Promise<void>((done) => blocker.close(() => done())));

    test('then exit 1 with "PORT: N is already in use"', async () => {
      const port = (blocker.address() as { port: number }).port;
      const run = start({ PORT: String(port) });
      expect(await run.exited).toBe(1);
      expect(run.stderr()).toBe(`PORT: ${port} is already in use\n`);
      expect(run.records.filter((record) => record.level === 'fatal')).toEqual([
        expect.objectContaining({ msg: `PORT: ${port} is already in use` }),
      ]);
    });
  });
});
