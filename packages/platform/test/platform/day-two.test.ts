/**
 * Day two on a running space, through the fixture manifest: restart (rolling, picks up
 * set-env), scale (live: instances come and go with no failed request; memory restarts
 * rolling), env (what the instances run with), a one-off task (the app's environment and
 * bindings, its lines tagged [APP/TASK/<name>/0], its exit code), and a service created
 * while the space runs, which a push then binds without a restart.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { allocateTestDatabase } from '@bundle/kit/testing';
import { appEnvironment, createService, readSettings, restartApps, rollingPush, runTask, scaleApp, setAppEnvironment } from '../../src';
import { FIXTURES, fixtureSpace, http, load, ROOT } from './helpers';

jest.setTimeout(180_000);

// A manifest of its own, which the tests change, under the repository (in .local/, ignored by
// git): a space keeps droplets of what lies under the repository, at the same places.
mkdirSync(join(ROOT, '.local'), { recursive: true });
const folder = mkdtempSync(join(ROOT, '.local', 'day-two-'));
const manifestFile = join(folder, 'manifest.yml');
const fixtureManifest = readFileSync(join(FIXTURES, 'manifest.yml'), 'utf8').replaceAll(
  'path: app',
  `path: ${relative(folder, join(FIXTURES, 'app'))}`,
);
writeFileSync(manifestFile, fixtureManifest);

type Started = Awaited<ReturnType<typeof fixtureSpace>>;
let started: Started;
const dataDir = join(folder, 'data');

beforeAll(async () => {
  started = await fixtureSpace({ space: 'daytwo', manifestFile, dataDir, redisUrl: await allocateTestDatabase() });
});
afterAll(async () => {
  await started?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const CONCURRENCY = 6;
const versionsOf = async (path: string, count: number): Promise<string[]> => {
  const seen = new Set<string>();
  for (let i = 0; i < count; i += 1) seen.add((await http(started.port, path)).json<{ version: string }>().version);
  return [...seen];
};
const slotsOf = (app: string, type = 'web') =>
  [...started.space.slots.values()].filter((slot) => slot.app.name === app && slot.process.type === type).map((slot) => slot.index);

describe('set-env, env and restart', () => {
  test('when a variable is set, then running instances keep theirs; a restart under load takes it with no failed request', async () => {
    setAppEnvironment(started.space, 'front', { APP_VERSION: '1.0.0-env', GREETING: 'hello' });

    expect(appEnvironment(started.space, 'front').GREETING).toBeUndefined();
    expect(await versionsOf('/', 6)).toEqual(['1.0.0']);
    expect(readSettings(dataDir).env.front).toEqual({ APP_VERSION: '1.0.0-env', GREETING: 'hello' });

    const restarting = restartApps(started.space, 'front');
    const counts = await load(started.port, '/', restarting, { concurrency: CONCURRENCY });
    const result = await restarting;

    expect([counts.failed, counts.errors]).toEqual([0, []]);
    expect(counts.ok).toBeGreaterThan(CONCURRENCY);
    expect(result.steps.map((step) => `${step.app}/${step.process}/${step.index}`)).toEqual(['front/web/0', 'front/web/1']);
    expect(await versionsOf('/', 6)).toEqual(['1.0.0-env']);
    const env = appEnvironment(started.space, 'front');
    expect([env.GREETING, JSON.parse(env.VCAP_SERVICES ?? '{}').redis?.[0]?.name]).toEqual(['hello', 'users-db']);
  });

  test('when a restart names an app the space does not run, then it is refused in one line and nothing restarts', async () => {
    await expect(restartApps(started.space, 'nope')).rejects.toThrow(/^space daytwo runs no app nope \(its apps: front, api, deep\)$/);
  });
});

describe('scale', () => {
  test('when instances are added and then removed under load, then no request fails and the others keep running', async () => {
    const kept = started.space.slots.get('api/web/0')?.instance.id;
    const up = scaleApp(started.space, { app: 'api', instances: 4 });
    const during = await load(started.port, '/api/x', up, { concurrency: CONCURRENCY });
    await up;
    expect([during.failed, slotsOf('api')]).toEqual([0, [0, 1, 2, 3]]);
    expect(new Set(during.ports).size).toBeGreaterThan(0);

    const down = scaleApp(started.space, { app: 'api', instances: 1 });
    const after = await load(started.port, '/api/x', down, { concurrency: CONCURRENCY });
    await down;
    expect([after.failed, after.errors, slotsOf('api')]).toEqual([0, [], [0]]);
    expect(started.space.slots.get('api/web/0')?.instance.id).toBe(kept);
    expect(slotsOf('api', 'worker')).toEqual([0]);
    expect(readSettings(dataDir).scale['api/web']).toEqual({ instances: 1 });
  });

  test('when the memory limit changes, then every instance is replaced, rolling, at the new limit', async () => {
    const scaling = scaleApp(started.space, { app: 'front', memoryMb: 96 });
    const counts = await load(started.port, '/', scaling, { concurrency: CONCURRENCY });
    await scaling;
    const front = [...started.space.slots.values()].filter((slot) => slot.app.name === 'front');
    expect([counts.failed, front.map((slot) => slot.process.memoryMb)]).toEqual([0, [96, 96]]);
  });

  test('when the worker process is scaled, then only its instances change', async () => {
    await scaleApp(started.space, { app: 'api', process: 'worker', instances: 2 });
    expect([slotsOf('api', 'worker'), slotsOf('api')]).toEqual([[0, 1], [0]]);
  });
});

describe('run-task', () => {
  test("when a task runs, then it has the app's environment and bindings, its lines come as they are written and are in the log as [APP/TASK/<name>/0], and its exit code is its result", async () => {
    const lines: string[] = [];
    const task = await runTask(
      started.space,
      {
        app: 'api',
        name: 'migrate',
        line: 'echo "bound: $(node -p "Object.values(JSON.parse(process.env.VCAP_SERVICES)).flat().map((b) => b.name).join()")"; echo "app: $APP_VERSION"; echo oops >&2; exit 3',
      },
      (record) => lines.push(`${record.source} ${record.stream} ${record.line}`),
    );

    expect(await task.exited).toBe(3);
    expect(lines).toEqual(['APP/TASK/migrate/0 OUT bound: event-bus', 'APP/TASK/migrate/0 OUT app: 1.0.0', 'APP/TASK/migrate/0 ERR oops']);
    expect(started.logs.filter((record) => record.source === 'APP/TASK/migrate/0').map((record) => `${record.app} ${record.line}`)).toEqual(
      [
        'api Starting task migrate: echo "bound: $(node -p "Object.values(JSON.parse(process.env.VCAP_SERVICES)).flat().map((b) => b.name).join()")"; echo "app: $APP_VERSION"; echo oops >&2; exit 3',
        'api bound: event-bus',
        'api app: 1.0.0',
        'api oops',
        'api Exit status 3',
      ],
    );
  });
});

describe('create-service', () => {
  test('when a pushed app binds a service the space does not provide, then the push names create-service; once created, the push binds it without a restart', async () => {
    writeFileSync(
      manifestFile,
      fixtureManifest.replace(
        '      - route: ((host))-deep.apps.internal',
        '      - route: ((host))-deep.apps.internal\n    services:\n      - notes-db',
      ),
    );
    await expect(rollingPush(started.space, { apps: ['deep'] })).rejects.toThrow(
      /app deep binds "notes-db", which the running space does not provide: scripts\/create-service daytwo notes-db creates it, no restart needed$/,
    );

    expect(createService(started.space, 'notes-db', { knownOnly: true })).toBe('unknown');
    expect(createService(started.space, 'notes-db')).toBe('created');
    expect(createService(started.space, 'notes-db')).toBe('exists');
    await rollingPush(started.space, { apps: ['deep'] });

    const env = appEnvironment(started.space, 'deep');
    expect(JSON.parse(env.VCAP_SERVICES ?? '{}').redis.map((binding: { name: string }) => binding.name)).toEqual(['notes-db']);
    expect(JSON.parse(readFileSync(join(dataDir, 'services.json'), 'utf8'))).toEqual({ 'notes-db': { type: 'redis' } });
  });
});

describe('a restart of the space', () => {
  test('when the space stops and starts again, then it keeps what set-env, scale and create-service changed (.local/<space>/)', async () => {
    await started.stop();
    started = await fixtureSpace({ space: 'daytwo', manifestFile, dataDir, redisUrl: await allocateTestDatabase() });

    expect([slotsOf('api'), slotsOf('api', 'worker'), slotsOf('front')]).toEqual([[0], [0, 1], [0, 1]]);
    const front = appEnvironment(started.space, 'front');
    expect([front.GREETING, front.MEMORY_LIMIT]).toEqual(['hello', '96m']);
    expect(
      JSON.parse(appEnvironment(started.space, 'deep').VCAP_SERVICES ?? '{}').redis.map((binding: { name: string }) => binding.name),
    ).toEqual(['notes-db']);
  });
});
