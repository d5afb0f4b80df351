import { join } from 'node:path';
import { ConfigError } from '../../src/config/errors';
import { signalUrl } from '../../src/telemetry/otel-env';
import { readTelemetrySettings } from '../../src/telemetry/settings';
import { mainPackage } from '../../src/telemetry/start';

const app = { app: 'users', version: '2.0.0' };
const binding = (credentials: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ 'user-provided': [{ name: 'otel', label: 'user-provided', tags: [], credentials, ...extra }] });

function refusal(env: Record<string, string>): ConfigError {
  try {
    readTelemetrySettings(env, app);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readTelemetrySettings', () => {
  test('when no endpoint is configured, then there is nothing to start', () => {
    expect(readTelemetrySettings({}, app)).toBeUndefined();
    expect(readTelemetrySettings({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_SERVICE_NAME: 'x' }, app)).toBeUndefined();
  });

  test('when an endpoint is set, then the standard defaults apply and the service is the app', () => {
    const settings = readTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, app);
    expect(settings).toMatchObject({
      source: 'OTEL_EXPORTER_OTLP_ENDPOINT',
      protocol: 'http/protobuf',
      headers: {},
      sampler: { name: 'parentbased_always_on', ratio: 1 },
      traces: true,
      metrics: true,
      metricIntervalMs: 60000,
      timeoutMs: 10000,
      resource: { 'service.name': 'users', 'service.version': '2.0.0', 'deployment.environment.name': 'local' },
    });
    expect(settings?.endpoint.href).toBe('http://127.0.0.1:4318/');
  });

  test('when every variable is set, then each is read', () => {
    const settings = readTelemetrySettings(
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example.com/prefix/',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_HEADERS: 'api-key=a%2Cb%3Dc, x-team = chat ',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
        OTEL_SERVICE_NAME: 'users-eu',
        OTEL_RESOURCE_ATTRIBUTES: 'service.name=ignored,team=chat%20core,service.version=9',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_METRIC_EXPORT_INTERVAL: '5000',
        OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
      },
      app,
    );
    expect(settings).toMatchObject({
      protocol: 'http/json',
      headers: { 'api-key': 'a,b=c', 'x-team': 'chat' },
      sampler: { name: 'parentbased_traceidratio', ratio: 0.1 },
      metrics: false,
      metricIntervalMs: 5000,
      timeoutMs: 2000,
      // OTEL_SERVICE_NAME beats service.name in OTEL_RESOURCE_ATTRIBUTES, which beats the platform's.
      resource: { 'service.name': 'users-eu', team: 'chat core', 'service.version': '9' },
    });
    expect(signalUrl(settings!.endpoint, 'traces')).toBe('https://otlp.example.com/prefix/v1/traces');
    expect(signalUrl(settings!.endpoint, 'metrics')).toBe('https://otlp.example.com/prefix/v1/metrics');
  });

  test('when instrumentations are named, then those load: all but koa by default', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    expect(readTelemetrySettings(endpoint, app)?.instrumentations).toEqual(['http', 'ioredis', 'undici', 'pino']);
    expect(readTelemetrySettings({ ...endpoint, OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'koa, undici' }, app)?.instrumentations).toEqual([
      'koa',
      'undici',
    ]);
    expect(readTelemetrySettings({ ...endpoint, OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pino' }, app)?.instrumentations).toEqual([
      'http',
      'ioredis',
      'undici',
    ]);
  });

  test('when OTEL_SDK_DISABLED=true or both exporters are none, then nothing starts', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    expect(readTelemetrySettings({ ...endpoint, OTEL_SDK_DISABLED: 'true' }, app)).toBeUndefined();
    expect(readTelemetrySettings({ ...endpoint, OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' }, app)).toBeUndefined();
  });

  describe('the otel binding (Cloud Foundry)', () => {
    test('when a user-provided service named otel is bound, then its endpoint and headers are used', () => {
      const settings = readTelemetrySettings(
        { VCAP_SERVICES: binding({ endpoint: 'https://otlp.example.com', headers: { authorization: 'Bearer t0ken' } }) },
        app,
      );
      expect(settings).toMatchObject({ source: 'binding "otel"', headers: { authorization: 'Bearer t0ken' } });
      expect(settings?.endpoint.href).toBe('https://otlp.example.com/');
    });

    test('when a service is tagged otlp, then it is found by the tag, and headers may be key=value text', () => {
      const settings = readTelemetrySettings(
        { VCAP_SERVICES: binding({ endpoint: 'http://10.0.0.1:4318', headers: 'a=1,b=2' }, { name: 'collector', tags: ['otlp'] }) },
        app,
      );
      expect(settings).toMatchObject({ source: 'binding "collector"', headers: { a: '1', b: '2' } });
    });

    test('when OTEL_EXPORTER_OTLP_HEADERS is set too, then it wins, header by header', () => {
      const settings = readTelemetrySettings(
        {
          VCAP_SERVICES: binding({ endpoint: 'https://bound.example.com', headers: { a: 'bound', b: 'bound' } }),
          OTEL_EXPORTER_OTLP_HEADERS: 'a=env',
        },
        app,
      );
      expect(settings).toMatchObject({ source: 'binding "otel"', headers: { a: 'env', b: 'bound' } });
    });

    test("when OTEL_EXPORTER_OTLP_ENDPOINT is set too, then it wins, and the binding's headers (its credentials) stay with the binding", () => {
      const settings = readTelemetrySettings(
        {
          VCAP_SERVICES: binding({ endpoint: 'https://bound.example.com', headers: { a: 'bound' } }),
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        },
        app,
      );
      expect(settings).toMatchObject({ source: 'OTEL_EXPORTER_OTLP_ENDPOINT', headers: {} });
      expect(settings?.endpoint.host).toBe('127.0.0.1:4318');
    });

    test.each([
      [{}, /^VCAP_SERVICES: binding "otel" credentials.endpoint: missing/],
      [{ endpoint: 'otlp.example.com' }, /^VCAP_SERVICES: binding "otel" credentials.endpoint: expected an http/],
      [
        { endpoint: 'https://x.example', headers: ['a'] },
        /^VCAP_SERVICES: binding "otel" credentials.headers: expected an object of strings/,
      ],
      [{ endpoint: 'https://x.example', headers: 'nokey' }, /^VCAP_SERVICES: binding "otel" credentials.headers: expected comma-separated/],
    ])('when its credentials are %j, then boot stops naming VCAP_SERVICES', (credentials, expected) => {
      const error = refusal({ VCAP_SERVICES: binding(credentials) });
      expect(error.variable).toBe('VCAP_SERVICES');
      expect(error.message).toMatch(expected);
    });
  });

  describe('bad values, configured or not', () => {
    test.each([
      ['OTEL_EXPORTER_OTLP_ENDPOINT', 'ftp://collector'],
      ['OTEL_EXPORTER_OTLP_ENDPOINT', 'not a url'],
      ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http/xml'],
      ['OTEL_EXPORTER_OTLP_HEADERS', '=value'],
      ['OTEL_TRACES_SAMPLER', 'xray'],
      ['OTEL_TRACES_SAMPLER_ARG', '-0.5'],
      ['OTEL_TRACES_SAMPLER_ARG', '1e-1'],
      ['OTEL_TRACES_EXPORTER', 'zipkin'],
      ['OTEL_METRICS_EXPORTER', 'prometheus'],
      ['OTEL_METRIC_EXPORT_INTERVAL', '0'],
      ['OTEL_EXPORTER_OTLP_TIMEOUT', '2s'],
      ['OTEL_SDK_DISABLED', 'yes'],
      ['OTEL_SERVICE_NAME', '  '],
      ['OTEL_RESOURCE_ATTRIBUTES', 'noequals'],
      ['OTEL_NODE_ENABLED_INSTRUMENTATIONS', 'http,express'],
      ['OTEL_NODE_DISABLED_INSTRUMENTATIONS', 'fs'],
    ])('when %s is %j, then a ConfigError names it', (variable, value) => {
      const error = refusal({ [variable]: value });
      expect(error.variable).toBe(variable);
      expect(error.message.startsWith(`${variable}: `)).toBe(true);
      expect(error.message).not.toContain('\n');
    });

    test('when a header or an endpoint is malformed, then its value is never in the message', () => {
      expect(refusal({ OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cret,broken' }).message).not.toContain('s3cret');
      expect(refusal({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://me:s3cret@otlp.example.com' }).message).not.toContain('s3cret');
      expect(refusal({ OTEL_EXPORTER_OTLP_HEADERS: 'authorization=%E0%A4%A' }).message).not.toContain('%E0');
    });
  });

  describe('resource attributes from the platform', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };

    test('on Cloud Foundry: the app, space, org, instance index and process type of VCAP_APPLICATION', () => {
      const settings = readTelemetrySettings(
        {
          ...endpoint,
          VCAP_APPLICATION: JSON.stringify({
            application_name: 'users',
            application_id: 'app-guid',
            space_name: 'production',
            space_id: 'space-guid',
            organization_name: 'acme',
            organization_id: 'org-guid',
            instance_index: 2,
            process_type: 'web',
          }),
          CF_INSTANCE_INDEX: '2',
          CF_INSTANCE_GUID: 'instance-guid',
          APP_VERSION: '2.1.0',
        },
        app,
      );
      expect(settings?.resource).toEqual({
        'service.name': 'users',
        'service.version': '2.1.0',
        'deployment.environment.name': 'production',
        'cloudfoundry.app.name': 'users',
        'cloudfoundry.app.id': 'app-guid',
        'cloudfoundry.space.name': 'production',
        'cloudfoundry.space.id': 'space-guid',
        'cloudfoundry.org.name': 'acme',
        'cloudfoundry.org.id': 'org-guid',
        'cloudfoundry.app.instance.id': '2',
        'cloudfoundry.process.type': 'web',
        'service.instance.id': 'instance-guid',
      });
    });

    test('on Heroku: the dyno and the release from dyno metadata; the app version stays the service version', () => {
      const settings = readTelemetrySettings(
        {
          ...endpoint,
          DYNO: 'web.1',
          HEROKU_DYNO_ID: 'dyno-uuid',
          HEROKU_RELEASE_VERSION: 'v42',
          HEROKU_APP_ID: 'app-uuid',
          HEROKU_SLUG_COMMIT: 'abc123',
          HEROKU_RELEASE_CREATED_AT: '2026-12-01T10:00:00Z',
        },
        app,
      );
      expect(settings?.resource).toEqual({
        'service.name': 'users',
        'service.version': '2.0.0',
        'deployment.environment.name': 'local',
        'service.instance.id': 'dyno-uuid',
        'heroku.dyno': 'web.1',
        'heroku.release.version': 'v42',
        'heroku.app.id': 'app-uuid',
        'heroku.release.commit': 'abc123',
        'heroku.release.creation_timestamp': '2026-12-01T10:00:00Z',
      });
    });

    test('when VCAP_APPLICATION is not JSON, then boot stops naming it, telemetry or not', () => {
      expect(refusal({ VCAP_APPLICATION: '{' }).variable).toBe('VCAP_APPLICATION');
    });
  });
});

describe('mainPackage', () => {
  test('when the entry point is an app built file, then its package gives the default name and version', () => {
    const entry = join(__dirname, '../../../../apps/users/dist/main.js');
    const { version } = require('../../../../apps/users/package.json') as { version: string };
    expect(mainPackage(entry)).toEqual({ app: 'users', version });
  });
});
