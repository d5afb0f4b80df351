import { existsSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, resolve, sep } from 'node:path';
import { ManifestError, PlatformError } from '../manifest/errors';
import type { LogRecord } from './logs';
import { rollingPush, type PushRequest } from './rolling-push';
import { releasesOf, rollBackTo } from './rollback';
import type { Space } from './space';
import { checkedSpaceStatus } from './status';
import { dayTwoRoute } from './day-two-control';
import { telemetryRoute } from './telemetry-control';

/** What a running supervisor records in .local/<space>/state.json for the other commands. */
export interface SpaceState {
  space: string;
  pid: number;
  url: string;
  router_port: number;
  socket: string;
  redis: string;
  started_at: string;
  /** Every process the supervisor started (instances' process groups, redis, postgres), for a last-resort clean-up. */
  pids: number[];
}

export const statePath = (dataDir: string): string => join(dataDir, 'state.json');
export const socketPath = (dataDir: string): string => join(dataDir, 'control.sock');

export function readState(dataDir: string): SpaceState | undefined {
  try {
    return JSON.parse(readFileSync(statePath(dataDir), 'utf8')) as SpaceState;
  } catch {
    return undefined;
  }
}

export function writeState(space: Space): void {
  const pids = [...space.slots.values()].map((slot) => slot.instance.pid).filter((pid): pid is number => pid !== undefined);
  if (space.provisioned?.redisPid !== undefined) pids.push(space.provisioned.redisPid);
  // The PostgreSQL too (it runs in its data folder): a leftover one holds postmaster.pid, and no other can start on that data.
  if (space.provisioned?.privatePostgres?.pid !== undefined) pids.push(space.provisioned.privatePostgres.pid);
  const state: SpaceState = {
    space: space.name,
    pid: process.pid,
    url: space.url,
    router_port: space.router?.port ?? 0,
    socket: socketPath(space.dataDir),
    redis: space.provisioned?.redis ?? '',
    started_at: new Date(space.startedAt).toISOString(),
    pids,
  };
  writeFileSync(statePath(space.dataDir), `${JSON.stringify(state, null, 2)}\n`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The processes a supervisor that died (kill -9, an out-of-memory kill) recorded and left
 * running: still alive and still this checkout's. A recorded pid may since belong to
 * another program, so only one whose working directory is in the checkout counts (every
 * instance runs in its app's folder, Redis in its data folder); where /proc cannot tell,
 * the record is trusted. Undefined when the supervisor is alive or left no state.
 */
export function leftovers(dataDir: string): number[] | undefined {
  const state = readState(dataDir);
  if (!state || isAlive(state.pid)) return undefined;
  // Written before the machine last booted: every pid in it now names something else.
  if (bootedSince(state.started_at)) return [];
  const root = resolve(dataDir, '..', '..');
  const ours = new Set([process.pid, process.ppid]);
  return state.pids.filter((pid) => !ours.has(pid) && isRunning(pid) && runsInside(pid, root));
}

function runsInside(pid: number, root: string): boolean {
  try {
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    return cwd === root || cwd.startsWith(`${root}${sep}`);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync('/proc/self');
  }
}

/** Alive and not a zombie (a zombie answers kill(pid, 0) until it is reaped, which an orphan's reaper may never do). */
function isRunning(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true; // no /proc: alive is all that can be told
  }
}

/** True when the machine booted after `time` (an ISO date); false where /proc/stat cannot tell. */
function bootedSince(time: string): boolean {
  try {
    const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1] ?? NaN);
    return bootSeconds * 1000 > Date.parse(time);
  } catch {
    return false;
  }
}

/**
 * Stops what a supervisor that died left running (leftovers), SIGTERM to each process
 * group and then, past 10 s, SIGKILL, waiting until they are gone (a Redis must have let go
 * of its data folder before another starts on it), and removes the state file. Answers how
 * many there were; undefined when there was no stale state.
 */
export async function stopLeftovers(dataDir: string): Promise<number | undefined> {
  const left = leftovers(dataDir);
  if (left === undefined) return undefined;
  for (const pid of left) signalGroup(pid, 'SIGTERM');
  // SIGKILL once past 10 s; past 15 s what still stands (a process that cannot die) is left to the reader of the message.
  const started = Date.now();
  let killed = false;
  while (left.some(isRunning) && Date.now() - started < 15_000) {
    if (!killed && Date.now() - started > 10_000) {
      for (const pid of left.filter(isRunning)) signalGroup(pid, 'SIGKILL');
      killed = true;
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  rmSync(statePath(dataDir), { force: true });
  return left.length;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
      return;
    } catch {
      // not a group leader, or gone
    }
  }
}

/**
 * The supervisor's control channel: HTTP over a unix socket in the space's folder (only
 * its owner can reach it). GET /status, GET /logs?app=&follow=1, POST /push, POST /stop,
 * GET /releases, POST /rollback {"release": "<id>"} (rollback.ts), the day-two routes
 * (day-two-control.ts) and GET /traces (telemetry-control.ts).
 */
export async function startControl(
  space: Space,
  logs: {
    history(app?: string): LogRecord[];
    on(event: 'line', listener: (record: LogRecord) => void): unknown;
    off(event: 'line', listener: (record: LogRecord) => void): unknown;
  },
  onStop: () => void,
): Promise<Server> {
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: Error) => reply(res, 500, { error: { code: 'internal', message: error.message } }));
  });
  server.requestTimeout = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://control');
    if (req.method === 'GET' && url.pathname === '/status') return reply(res, 200, await checkedSpaceStatus(space));
    if (req.method === 'GET' && url.pathname === '/logs') {
      const app = url.searchParams.get('app') ?? undefined;
      // An app the space does not run would follow nothing, in silence, for ever. Known: the
      // manifest's apps, its Redis, and whatever else has written a line (the router's "-").
      const apps = [
        ...new Set([...(space.manifest?.apps.map((spec) => spec.name) ?? []), 'redis', ...logs.history().map((record) => record.app)]),
      ];
      if (app !== undefined && !apps.includes(app))
        return reply(res, 404, {
          error: { code: 'unknown_app', message: `space ${space.name} runs no app ${app} (apps: ${apps.join(', ')})` },
        });
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      for (const record of logs.history(app)) res.write(`${JSON.stringify(record)}\n`);
      if (url.searchParams.get('follow') !== '1') return void res.end();
      const listener = (record: LogRecord): void => {
        if (app === undefined || record.app === app) res.write(`${JSON.stringify(record)}\n`);
      };
      logs.on('line', listener);
      res.on('close', () => logs.off('line', listener));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/releases') return reply(res, 200, releasesOf(space));
    if (req.method === 'POST' && (url.pathname === '/push' || url.pathname === '/rollback')) {
      const body = await readBody(req);
      try {
        const result =
          url.pathname === '/push'
            ? await rollingPush(space, body as PushRequest)
            : await rollBackTo(space, String((body as { release?: unknown }).release ?? ''));
        writeState(space);
        return reply(res, 200, result);
      } catch (error) {
        const known = error instanceof ManifestError || error instanceof PlatformError;
        return reply(res, known ? 409 : 500, { error: { code: 'push_failed', message: (error as Error).message } });
      }
    }
    if (req.method === 'POST' && url.pathname === '/stop') {
      reply(res, 202, { stopping: true });
      onStop();
      return;
    }
    if (await dayTwoRoute(space, req, res, url)) return;
    if (telemetryRoute(space, req, res, url)) return;
    reply(res, 404, { error: { code: 'not_found', message: `${req.method} ${url.pathname}` } });
  }

  // Restarts change pids: state.json keeps them current for a last-resort `scripts/stop`.
  const onProcesses = (): void => {
    if (!space.stopping) writeState(space);
  };
  space.on('processes', onProcesses);
  server.on('close', () => space.off('processes', onProcesses));

  const path = socketPath(space.dataDir);
  if (existsSync(path)) rmSync(path);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return server;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text === '' ? {} : (JSON.parse(text) as unknown);
}

/** A request to a running supervisor; fails with one line when the space is not running. */
export function controlRequest(dataDir: string, method: string, path: string, body?: unknown): Promise<IncomingMessage> {
  const state = readState(dataDir);
  if (!state || !isAlive(state.pid)) {
    const space = dataDir.split('/').pop() ?? '';
    const left = leftovers(dataDir)?.length ?? 0;
    const why =
      left > 0
        ? `: its supervisor died and left ${left} process${left === 1 ? '' : 'es'} running (scripts/stop ${space} stops ${left === 1 ? 'it' : 'them'})`
        : ' (start it with scripts/start)';
    return Promise.reject(new PlatformError(`space ${space} is not running${why}`));
  }
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: state.socket, method, path, headers: { 'content-type': 'application/json' } }, resolve);
    req.on('error', (error) =>
      reject(new PlatformError(`cannot reach the supervisor of space ${state.space} (pid ${state.pid}): ${error.message}`)),
    );
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

export async function controlJson<T>(dataDir: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await controlRequest(dataDir, method, path, body);
  let text = '';
  for await (const chunk of res) text += String(chunk);
  return { status: res.statusCode ?? 0, body: JSON.parse(text) as T };
}
