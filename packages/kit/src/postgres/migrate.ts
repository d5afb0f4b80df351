import type { Client, ClientConfig } from 'pg';
import type { Logger } from 'pino';
import type { PostgresLocation } from '../config/postgres-url';

/**
 * The advisory lock every migration run of this bundle takes (one number for all: two apps
 * sharing a database wait for each other too, which costs nothing and keeps them apart).
 */
export const MIGRATION_LOCK_KEY = 7_241_865_325_823_964;

export interface MigrateOptions {
  location: PostgresLocation;
  /** The folder of migrations: <UTC time, 17 digits>_<name>.sql files (node-pg-migrate's naming), applied in order, each once. */
  dir: string;
  logger: Logger;
  /** The table that records what has run (node-pg-migrate's). */
  table?: string;
}

/**
 * Applies every migration not yet applied, forward only, all in one transaction: a failing
 * migration leaves the schema as it was and throws, so the release task fails and the old
 * release keeps serving. A session advisory lock (pg_advisory_lock, which waits) makes
 * concurrent runs, two instances or two release tasks, take turns: the second finds nothing
 * left to do. node-pg-migrate's own lock is not used: it refuses instead of waiting.
 * Returns the names of the migrations it applied.
 */
export async function runMigrations(options: MigrateOptions): Promise<string[]> {
  const { connection } = options.location;
  const config: ClientConfig = {
    host: connection.host,
    port: connection.port,
    database: connection.database,
    user: connection.user,
    ...(connection.password === undefined ? {} : { password: connection.password }),
    ssl: connection.ssl,
    application_name: 'migrations',
  };
  const { Client: PgClient } = require('pg') as typeof import('pg');
  const client: Client = new PgClient(config);
  // A connection the server ends while we wait would otherwise be an unhandled 'error' event.
  client.on('error', (error) => options.logger.warn({ err: { message: error.message } }, 'migration connection lost'));
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATION_LOCK_KEY]);
    if (!rows[0]?.locked) {
      options.logger.info('migrations: another run holds the lock, waiting for it');
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    }
    const { runner } = require('node-pg-migrate') as typeof import('node-pg-migrate');
    const applied = await runner({
      dbClient: client,
      dir: options.dir,
      migrationsTable: options.table ?? 'pgmigrations',
      direction: 'up',
      count: Infinity,
      noLock: true,
      singleTransaction: true,
      checkOrder: true,
      // Its lines go to our log, one JSON object each, at debug: the summary below is the info line.
      logger: {
        debug: (message: string) => options.logger.debug(message),
        info: (message: string) => options.logger.debug(message),
        warn: (message: string) => options.logger.warn(message),
        error: (message: string) => options.logger.error(message),
      },
      verbose: false,
    });
    const names = applied.map((migration) => migration.name);
    options.logger.info({ applied: names }, names.length === 0 ? 'migrations: nothing to apply' : `migrations: applied ${names.length}`);
    return names;
  } finally {
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
