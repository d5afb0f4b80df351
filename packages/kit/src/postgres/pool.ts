import type { Pool, PoolConfig } from 'pg';
import type { Logger } from 'pino';
import { describePostgres, type PostgresLocation } from '../config/postgres-url';
import type { PostgresSettings } from './settings';

export type { Pool, PoolClient } from 'pg';

export interface CreatePostgresPoolOptions {
  location: PostgresLocation;
  logger: Logger;
  /** Which binding this pool serves, for log lines ("notes-db"). */
  name: string;
  settings?: Partial<PostgresSettings>;
}

/**
 * A node-postgres pool for one binding. Connections are made when a query needs one, so the
 * app starts (and answers /ready with 503) while the database is down, and recovers by
 * itself when it returns. Every statement has a server-side timeout; an idle connection is
 * closed, so a quiet instance holds none of the plan's few connections.
 */
export function createPostgresPool(options: CreatePostgresPoolOptions): Pool {
  const { connection } = options.location;
  const settings = options.settings ?? {};
  const config: PoolConfig = {
    host: connection.host,
    port: connection.port,
    database: connection.database,
    user: connection.user,
    ...(connection.password === undefined ? {} : { password: connection.password }),
    ssl: connection.ssl,
    max: settings.postgresPoolMax ?? 5,
    idleTimeoutMillis: settings.postgresIdleTimeoutMs ?? 10_000,
    connectionTimeoutMillis: settings.postgresConnectTimeoutMs ?? 2000,
    statement_timeout: settings.postgresStatementTimeoutMs ?? 5000,
    // Seen in pg_stat_activity: which app holds a connection.
    application_name: options.name,
  };
  // Loaded on first use, as ioredis is: an app without PostgreSQL never pays for pg.
  const { Pool: PgPool } = require('pg') as typeof import('pg');
  const pool = new PgPool(config);
  const log = options.logger.child({ postgres: options.name });
  let down = false;
  // An idle connection the server ended (restart, failover) raises 'error' on the pool: without
  // a listener that would end the process. The next query opens a new connection.
  pool.on('error', (error: Error) => {
    if (!down) log.warn({ err: { message: error.message } }, 'postgres connection lost, reconnecting on next use');
    down = true;
  });
  pool.on('connect', () => {
    if (down) log.info('postgres available again');
    down = false;
  });
  log.debug({ database: describePostgres(options.location) }, 'postgres pool');
  return pool;
}

/** The readiness check for a pool: a cheap round trip through one of its connections. */
export function postgresReadiness(pool: Pool): () => Promise<void> {
  return async () => {
    await pool.query('SELECT 1');
  };
}

/** Ends the pool: waits for checked-out clients to be released, then closes every connection. */
export async function endPostgres(pool: Pool): Promise<void> {
  if ((pool as Pool & { ended?: boolean }).ended) return;
  await pool.end();
}
