import type convict from 'convict';

/** The pool's bounds: an app with a PostgreSQL binding spreads these into its schema. */
export interface PostgresSettings {
  postgresPoolMax: number;
  postgresStatementTimeoutMs: number;
  postgresIdleTimeoutMs: number;
  postgresConnectTimeoutMs: number;
}

export const postgresSchema: convict.Schema<PostgresSettings> = {
  // A connection costs little in a 128M instance (tens of kB in Node) but a backend process
  // on the server: small plans allow 20 connections (Heroku Essential-0) for every instance.
  postgresPoolMax: {
    doc: 'The most connections one instance opens (instances x this must stay under the plan limit)',
    format: 'positive-int',
    default: 5,
    env: 'PG_POOL_MAX',
  },
  postgresStatementTimeoutMs: {
    doc: 'The server cancels a statement running longer than this (statement_timeout)',
    format: 'positive-int',
    default: 5000,
    env: 'PG_STATEMENT_TIMEOUT_MS',
  },
  postgresIdleTimeoutMs: {
    doc: 'An idle connection is closed after this long, so a quiet instance holds none',
    format: 'positive-int',
    default: 10000,
    env: 'PG_IDLE_TIMEOUT_MS',
  },
  postgresConnectTimeoutMs: {
    doc: 'How long a request waits for a connection (new or from the pool) before it answers 503',
    format: 'positive-int',
    default: 2000,
    env: 'PG_CONNECT_TIMEOUT_MS',
  },
};
