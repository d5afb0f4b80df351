import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createLogger } from '../../src/log';
import { MIGRATION_LOCK_KEY, runMigrations } from '../../src/postgres/migrate';
import { logSink } from '../../src/testing/log-sink';
import { testPostgres, type TestDatabase } from '../../src/testing/test-postgres';
import { identity } from '../support/app';

/** A folder of SQL migrations, as an app ships them (migrations/NNN_name.sql). */
function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

const FIRST = {
  '20260101000000001_create-items.sql': '-- Up Migration\nCREATE TABLE items (id bigserial PRIMARY KEY, text text NOT NULL);\n',
};
const SECOND = { '20260101000000002_add-owner.sql': "-- Up Migration\nALTER TABLE items ADD COLUMN owner_id text NOT NULL DEFAULT '';\n" };

describe('runMigrations', () => {
  let db: TestDatabase;
  let client: Client;
  const dirs: string[] = [];
  const logger = createLogger(identity, 'silent');
  const dir = (files: Record<string, string>) => {
    const made = migrationsDir(files);
    dirs.push(made);
    return made;
  };
  beforeEach(async () => {
    db = await testPostgres();
    client = new Client(db.location.connection);
    await client.connect();
  }, 60_000); // the first test file of a run to ask for PostgreSQL starts the run's server
  afterEach(async () => {
    await client.end();
    await db.drop();
  });
  afterAll(() => {
    for (const made of dirs) rmSync(made, { recursive: true, force: true });
  });
  const applied = async () =>
    (await client.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY id')).rows.map((row) => row.name);

  test('when run twice, then each migration is applied once, in order, and the second run applies nothing', async () => {
    const sink = logSink();
    const log = createLogger(identity, 'info', sink.stream);
    const first = await runMigrations({ location: db.location, dir: dir(FIRST), logger: log });
    const second = await runMigrations({ location: db.location, dir: dir({ ...FIRST, ...SECOND }), logger: log });
    const third = await runMigrations({ location: db.location, dir: dir({ ...FIRST, ...SECOND }), logger: log });
    expect({ first, second, third, applied: await applied() }).toEqual({
      first: ['20260101000000001_create-items'],
      second: ['20260101000000002_add-owner'],
      third: [],
      applied: ['20260101000000001_create-items', '20260101000000002_add-owner'],
    });
    expect(sink.records.map((record) => record.msg)).toEqual([
      'migrations: applied 1',
      'migrations: applied 1',
      'migrations: nothing to apply',
    ]);
  });

  test('when two instances migrate at once, then one applies and the other waits and finds nothing left (no error)', async () => {
    const files = dir({ ...FIRST, ...SECOND });
    const results = await Promise.all([
      runMigrations({ location: db.location, dir: files, logger }),
      runMigrations({ location: db.location, dir: files, logger }),
    ]);
    expect({ applied: [...results].sort((a, b) => b.length - a.length), table: await applied() }).toEqual({
      applied: [['20260101000000001_create-items', '20260101000000002_add-owner'], []],
      table: ['20260101000000001_create-items', '20260101000000002_add-owner'],
    });
  });

  test('when another run holds the lock, then a run waits for it instead of failing, and applies once it is released', async () => {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const run = runMigrations({ location: db.location, dir: dir(FIRST), logger });
    // The run is blocked on the lock: the server says so (no sleep: asked until it is true).
    for (;;) {
      const { rows } = await client.query(
        "SELECT 1 FROM pg_stat_activity WHERE application_name = 'migrations' AND wait_event_type = 'Lock' AND datname = $1",
        [db.name],
      );
      if (rows.length > 0) break;
    }
    const before = (await client.query("SELECT to_regclass('pgmigrations') AS t")).rows[0].t;
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    expect({ before, applied: await run, table: await applied() }).toEqual({
      before: null,
      applied: ['20260101000000001_create-items'],
      table: ['20260101000000001_create-items'],
    });
  });

  test('when a migration fails, then none of the run is kept and the error is thrown (the release task fails)', async () => {
    const broken = dir({ ...FIRST, '20260101000000002_broken.sql': '-- Up Migration\nALTER TABLE no_such_table ADD COLUMN x int;\n' });
    await expect(runMigrations({ location: db.location, dir: broken, logger })).rejects.toThrow(/no_such_table/);
    // The runner makes its table before the transaction; what matters is that nothing is recorded or created.
    expect({ items: (await client.query("SELECT to_regclass('items') AS t")).rows[0].t, applied: await applied() }).toEqual({
      items: null,
      applied: [],
    });
  });

  test('when a migration that ran is edited away (forward only), then the run refuses', async () => {
    await runMigrations({ location: db.location, dir: dir({ ...FIRST, ...SECOND }), logger });
    await expect(runMigrations({ location: db.location, dir: dir(SECOND), logger })).rejects.toThrow(/20260101000000001_create-items/);
  });
});
