/**
 * scripts/provision --target heroku --otlp-endpoint against a fake `heroku` on PATH: every
 * app gets OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_HEADERS, never printed; a
 * second run with the same flags changes nothing, a new endpoint is set again.
 */
import path from 'node:path';
import { ROOT, sh } from '../../../../lib/testing/throwaway-repo';
import { herokuAppsOf } from '../../../../lib/testing/bundle-apps';
import { fake, writes } from '../../../../lib/testing/fake-paas';

const provision = (args: string[], env: NodeJS.ProcessEnv = {}) => sh(path.join(ROOT, 'scripts', 'provision'), args, ROOT, env);

describe('scripts/provision --target heroku --otlp-endpoint', () => {
  test('every app gets the OTEL_EXPORTER_OTLP_* config vars; the headers are never printed', () => {
    const heroku = fake();
    const flags = ['--otlp-endpoint', 'https://otlp.example.com', '--otlp-headers', 'x-api-key=s3cret'];
    const first = provision(['staging', '--target', 'heroku', ...flags], heroku.env);

    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    const apps = Object.values(herokuAppsOf('staging'));
    for (const app of apps) {
      expect(heroku.state().apps[app]?.config).toMatchObject({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example.com',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s3cret',
      });
    }
    expect(first.stdout).toContain(
      `heroku config:set -a ${apps[0]} OTEL_EXPORTER_OTLP_ENDPOINT=https://otlp.example.com OTEL_EXPORTER_OTLP_HEADERS=<given>`,
    );
    expect(first.stdout).not.toContain('s3cret');

    const before = heroku.calls().length;
    expect(provision(['staging', '--target', 'heroku', ...flags], heroku.env).status).toBe(0);
    expect(writes(heroku.calls().slice(before))).toEqual([]);

    const moved = provision(['staging', '--target', 'heroku', '--otlp-endpoint', 'https://eu.otlp.example.com'], heroku.env);
    expect(moved.status).toBe(0);
    expect(writes(heroku.calls().slice(before)).map((call) => call.slice(1).join(' '))).toEqual(
      apps.map((app) => `config:set -a ${app} OTEL_EXPORTER_OTLP_ENDPOINT=https://eu.otlp.example.com`),
    );
  });
});
