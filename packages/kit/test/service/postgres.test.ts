import Router from '@koa/router';
import supertest from 'supertest';
import { createLogger } from '../../src/log';
import { createPostgresPool, endPostgres, postgresReadiness, type Pool } from '../../src/postgres';
import { startPostgresServer, type PostgresServer } from '../../src/testing/postgres-server';
import { testPostgres, type TestDatabase } from '../../src/testing/test-postgres';
import { identity, testApp } from '../support/app';

describe('a pool on the run’s PostgreSQL', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await testPostgres();
    pool = createPostgresPool({
      location: db.location,
      logger: createLogger(identity, 'silent'),
      name: 'notes-db',
      settings: { postgresPoolMax: 2, postgresStatementTimeoutMs: 200 },
    });
  }, 60_000); // the first test file of a run to ask for PostgreSQL starts the run's server
  afterAll(async () => {
    await endPostgres(pool);
    await db.drop();
  });

  test('when the database answers, then /ready is 200 and names it', async () => {
    const { app } = testApp([], { readiness: { 'notes-db': postgresReadiness(pool) } });
    const response = await supertest(app.callback()).get('/ready');
    expect({ status: response.status, checks: response.body.checks }).toEqual({ status: 200, checks: { 'notes-db': 'ok' } });
  });

  test('when a statement runs past the statement timeout, then the server cancels it and the request answers 503', async () => {
    const router = new Router();
    router.get('/slow', async (ctx) => {
      ctx.body = (await pool.query('SELECT pg_sleep(5)')).rows;
    });
    const { app } = testApp([router]);
    const response = await supertest(app.callback()).get('/slow');
    expect({ status: response.status, code: response.body.error?.code }).toEqual({ status: 503, code: 'service_unavailable' });
  });

  test('when ended twice (a second SIGTERM), then the second is a no-op', async () => {
    const other = createPostgresPool({ location: db.location, logger: createLogger(identity, 'silent'), name: 'x' });
    await other.query('SELECT 1');
    await endPostgres(other);
    await expect(endPostgres(other)).resolves.toBeUndefined();
  });
});

describe('when PostgreSQL goes away', () => {
  let server: PostgresServer;
  let pool: Pool;
  beforeAll(() => {
    server = startPostgresServer();
    pool = createPostgresPool({
      location: {
        connection: { host: server.dir, port: 5432, database: 'postgres', user: server.user, ssl: false },
        source: 'test',
        variable: 'NOTES_DB_URL',
      },
      logger: createLogger(identity, 'silent'),
      name: 'notes-db',
    });
  }, 60_000);
  afterAll(async () => {
    await endPostgres(pool);
    server.stop();
  });

  test('then /ready and the routes answer 503, the process keeps running, and one line says so', async () => {
    const router = new Router();
    router.get('/count', async (ctx) => {
      ctx.body = (await pool.query<{ n: number }>('SELECT 1 AS n')).rows[0];
    });
    const { app, sink: appSink } = testApp([router], { readiness: { 'notes-db': postgresReadiness(pool) } });
    const request = supertest(app.callback());
    await request.get('/count').expect(200, { n: 1 });
    await request.get('/ready').expect(200);

    server.stop();

    const ready = await request.get('/ready');
    const count = await request.get('/count');
    expect({ ready: ready.status, count: count.status, code: count.body.error?.code, retry: count.headers['retry-after'] }).toEqual({
      ready: 503,
      count: 503,
      code: 'service_unavailable',
      retry: expect.any(String),
    });
    expect(appSink.records.filter((record) => record.level === 'warn' && String(record.msg).startsWith('not ready'))).toEqual([
      expect.objectContaining({ msg: 'not ready: unavailable: notes-db' }),
    ]);
  });
});
