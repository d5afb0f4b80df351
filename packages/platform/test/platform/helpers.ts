import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Space, type LogRecord, type SpaceOptions } from '../../src';

export const ROOT = resolve(__dirname, '../../../..');
export const FIXTURES = resolve(__dirname, '../fixtures');

/** The reference chat's apps, in manifest.yml's order; scripts/new-app adds apps after them. */
export const REFERENCE_APPS = ['ui', 'users', 'tokens', 'messages', 'push'];
/** The app names the repository's manifest.yml lists, read as plain YAML. */
export const manifestAppNames = (): string[] =>
  (parseYaml(readFileSync(join(ROOT, 'manifest.yml'), 'utf8')) as { applications: { name: string }[] }).applications.map((app) => app.name);
/** The members of `list` that are in `subset`, in list's order. */
export const only = <T>(list: T[], subset: T[]): T[] => list.filter((item) => subset.includes(item));

/**
 * The addresses TCP sockets listen on at `port` on this machine (Linux: /proc/net/tcp and
 * tcp6), e.g. ['127.0.0.1'] or ['0.0.0.0']: what an instance can be reached at, not what it says.
 */
export function listeningAddresses(port: number): string[] {
  const addresses: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || local === undefined) continue; // 0A: LISTEN
      const [hex = '', portHex = ''] = local.split(':');
      if (Number.parseInt(portHex, 16) !== port) continue;
      addresses.push(
        hex.length === 8
          ? (hex.match(/../g) ?? [])
              .reverse()
              .map((byte) => Number.parseInt(byte, 16))
              .join('.')
          : /^0+$/.test(hex)
            ? '::'
            : hex === '00000000000000000000000001000000'
              ? '::1'
              : hex,
      );
    }
  }
  return addresses;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One HTTP request through 127.0.0.1:port; never rejects on HTTP status, rejects on a broken connection. */
export function http(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolvePromise, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body) as T }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A space of the fixture apps, on a free router port, its data in a temporary folder. */
export async function fixtureSpace(
  options: Partial<SpaceOptions> & { redisUrl?: string } = {},
): Promise<{ space: Space; port: number; logs: LogRecord[]; waitForLog(match: RegExp): Promise<LogRecord>; stop(): Promise<void> }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'platform-test-'));
  const logs: LogRecord[] = [];
  const waiters: Array<{ match: RegExp; resolve: (record: LogRecord) => void }> = [];
  const space = new Space({
    root: ROOT,
    space: options.space ?? 'test',
    manifestFile: join(FIXTURES, 'manifest.yml'),
    varsFiles: [join(FIXTURES, 'vars.yml')],
    routerPort: 0,
    dataDir,
    checkIntervalSeconds: 1,
    ...options,
    env: { ...process.env, ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}), ...options.env },
    log: (record) => {
      logs.push(record);
      const line = `${record.app} [${record.source}] ${record.line}`;
      for (const waiter of [...waiters]) {
        if (waiter.match.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(record);
        }
      }
    },
  });
  await space.start();
  return {
    space,
    port: space.router?.port ?? 0,
    logs,
    waitForLog: (match) => new Promise((resolveWait) => waiters.push({ match, resolve: resolveWait })),
    async stop() {
      await space.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface LoadResult {
  ok: number;
  failed: number;
  errors: string[];
  /** Ports of the instances that answered, in order. */
  ports: number[];
  versions: Set<string>;
}

/**
 * Steady load: `concurrency` loops of requests until `until` settles (or `max` requests,
 * so the loop is bounded). Every non-2xx answer and broken connection counts as failed.
 */
export async function load(
  port: number,
  path: string,
  until: Promise<unknown>,
  options: { concurrency?: number; max?: number; method?: string } = {},
): Promise<LoadResult> {
  const result: LoadResult = { ok: 0, failed: 0, errors: [], ports: [], versions: new Set() };
  let done = false;
  void until.finally(() => (done = true)).catch(() => undefined);
  const max = options.max ?? 20_000;
  let sent = 0;
  const loop = async (): Promise<void> => {
    while (!done && sent < max) {
      sent += 1;
      try {
        const reply = await http(port, path, {
          method: options.method ?? 'GET',
          body: options.method === 'POST' ? 'x'.repeat(100) : undefined,
        });
        if (reply.status >= 200 && reply.status < 300) {
          result.ok += 1;
          const body = reply.json<{ port: number; version: string }>();
          result.ports.push(body.port);
          result.versions.add(body.version);
        } else {
          result.failed += 1;
          result.errors.push(`${reply.status} ${reply.body.slice(0, 120)}`);
        }
      } catch (error) {
        result.failed += 1;
        result.errors.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, loop));
  return result;
}
