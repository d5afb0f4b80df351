import { ConfigError } from './errors';
import { isPlainObject, type Env } from './vcap';

/** Who this process is: the fields that go into every log line and /version. */
export interface AppIdentity {
  app: string;
  version: string;
  commit: string;
  space: string;
  /** "0", "1"... on Cloud Foundry and the local platform; "web.1" on Heroku. */
  instance: string;
}

/**
 * Reads the app's identity from VCAP_APPLICATION (name, version, space), the instance
 * from CF_INSTANCE_INDEX (not documented inside VCAP_APPLICATION) or Heroku's DYNO.
 * APP_VERSION and GIT_COMMIT (or Heroku's SOURCE_VERSION) override what the platform says.
 */
export function readAppIdentity(env: Env, defaults: { app: string; version: string }): AppIdentity {
  const vcap = readVcapApplication(env);
  const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    app: str(env.APP_NAME) ?? str(vcap.application_name) ?? str(vcap.name) ?? defaults.app,
    version: str(env.APP_VERSION) ?? defaults.version,
    commit: str(env.GIT_COMMIT) ?? str(env.SOURCE_VERSION) ?? str(env.HEROKU_SLUG_COMMIT) ?? 'unknown',
    space: str(env.SPACE) ?? str(vcap.space_name) ?? 'local',
    instance: str(env.CF_INSTANCE_INDEX) ?? str(env.DYNO) ?? '0',
  };
}

function readVcapApplication(env: Env): Record<string, unknown> {
  const raw = env.VCAP_APPLICATION;
  if (raw === undefined || raw.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (isPlainObject(parsed)) return parsed;
  } catch {
    // reported below with the same line as a non-object
  }
  throw new ConfigError('VCAP_APPLICATION: expected a JSON object (application_name, space_name, ...)', 'VCAP_APPLICATION');
}
