import type { AppIdentity } from '../config/application';
import { isPlainObject, type Env } from '../config/vcap';

/**
 * The resource attributes the platform tells (OpenTelemetry semantic conventions 1.3x):
 * - always: service.name (the app's name, as on every log line), service.version (the app's
 *   version: APP_VERSION, else its package's), deployment.environment.name (the space);
 * - Cloud Foundry (VCAP_APPLICATION): cloudfoundry.app.name and .id, space name and id, org
 *   name and id, the instance index (cloudfoundry.app.instance.id), the process type, and
 *   service.instance.id from CF_INSTANCE_GUID;
 * - Heroku (DYNO): service.instance.id (HEROKU_DYNO_ID, else DYNO), heroku.dyno, and from dyno
 *   metadata (`heroku labs:enable runtime-dyno-metadata`) heroku.release.version
 *   (HEROKU_RELEASE_VERSION, "v42"), heroku.app.id, heroku.release.commit and
 *   heroku.release.creation_timestamp.
 * OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME are laid over these by the caller.
 */
export function platformResource(env: Env, identity: AppIdentity): Record<string, string> {
  const attributes: Record<string, string | undefined> = {
    'service.name': identity.app,
    'service.version': identity.version,
    'deployment.environment.name': identity.space,
  };
  const vcap = vcapApplication(env);
  if (vcap) {
    Object.assign(attributes, {
      'cloudfoundry.app.name': text(vcap.application_name) ?? text(vcap.name),
      'cloudfoundry.app.id': text(vcap.application_id),
      'cloudfoundry.space.name': text(vcap.space_name),
      'cloudfoundry.space.id': text(vcap.space_id),
      'cloudfoundry.org.name': text(vcap.organization_name),
      'cloudfoundry.org.id': text(vcap.organization_id),
      'cloudfoundry.app.instance.id': text(env.CF_INSTANCE_INDEX) ?? text(vcap.instance_index),
      'cloudfoundry.process.type': text(vcap.process_type),
      'service.instance.id': text(env.CF_INSTANCE_GUID),
    });
  } else if (text(env.DYNO)) {
    Object.assign(attributes, {
      'service.instance.id': text(env.HEROKU_DYNO_ID) ?? text(env.DYNO),
      'heroku.dyno': text(env.DYNO),
      'heroku.release.version': text(env.HEROKU_RELEASE_VERSION),
      'heroku.app.id': text(env.HEROKU_APP_ID),
      'heroku.release.commit': text(env.HEROKU_SLUG_COMMIT),
      'heroku.release.creation_timestamp': text(env.HEROKU_RELEASE_CREATED_AT),
    });
  }
  return Object.fromEntries(Object.entries(attributes).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function vcapApplication(env: Env): Record<string, unknown> | undefined {
  if (!env.VCAP_APPLICATION || env.VCAP_APPLICATION.trim() === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(env.VCAP_APPLICATION);
    return isPlainObject(parsed) ? parsed : undefined;
  } catch {
    return undefined; // readAppIdentity has refused it already
  }
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}
