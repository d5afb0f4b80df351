import type convict from 'convict';
import { readAppIdentity, type AppIdentity } from './application';
import { resolvePostgres, type PostgresLocation } from './postgres-url';
import { resolveRedis, type RedisLocation } from './redis-url';
import { baseSchema, loadSettings, type BaseSettings } from './settings';
import { readVcapServices, type Env, type VcapServices } from './vcap';

/** Where a development Redis is looked for when nothing else names one. */
export const DEVELOPMENT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface AppConfig<T> {
  settings: BaseSettings & T;
  identity: AppIdentity;
  services: VcapServices;
  /** The Redis behind a binding name: explicit <NAME>_URL, then the binding, then REDIS_URL, then (outside production) localhost. */
  redis(bindingName: string): RedisLocation;
  /** The PostgreSQL behind a binding name: explicit <NAME>_URL, then the binding (by name, else tagged postgresql/postgres), then DATABASE_URL. */
  postgres(bindingName: string): PostgresLocation;
}

/**
 * Everything an app learns from its world, read once in main.ts and validated: the base
 * settings plus the app's own schema, its identity, and its service bindings. Any bad
 * value throws a ConfigError whose message is the one line boot() prints.
 */
export function loadAppConfig<T>(schema: convict.Schema<T>, env: Env, defaults: { app: string; version: string }): AppConfig<T> {
  const services = readVcapServices(env);
  const identity = readAppIdentity(env, defaults);
  const settings = loadSettings({ ...baseSchema, ...schema } as convict.Schema<BaseSettings & T>, env);
  const fallback = settings.nodeEnv === 'production' ? undefined : DEVELOPMENT_REDIS_URL;
  return {
    settings,
    identity,
    services,
    redis: (bindingName) => resolveRedis(env, services, bindingName, fallback),
    postgres: (bindingName) => resolvePostgres(env, services, bindingName),
  };
}
