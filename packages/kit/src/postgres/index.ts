export { createPostgresPool, postgresReadiness, endPostgres, type CreatePostgresPoolOptions, type Pool, type PoolClient } from './pool';
export { isPostgresUnavailable } from './errors';
export { postgresSchema, type PostgresSettings } from './settings';
export { runMigrations, MIGRATION_LOCK_KEY, type MigrateOptions } from './migrate';
