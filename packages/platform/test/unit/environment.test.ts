import { resolve } from 'node:path';
import { parseManifest } from '../../src';
import { instanceEnvironment } from '../../src/local/environment';

const ROOT = resolve(__dirname, '../../../..');

/** The environment the local platform gives instance 0 of a one-app manifest whose env is `env`. */
function environmentOf(env: Record<string, string>): Record<string, string> {
  const lines = [
    'applications:',
    '  - name: users',
    '    path: .',
    '    command: exec node app.js',
    '    memory: 128M',
    '    env:',
    ...Object.entries(env).map(([name, value]) => `      ${name}: "${value}"`),
  ];
  const [app] = parseManifest(lines.join('\n'), { file: 'manifest.yml', base: ROOT }).apps;
  if (!app) throw new Error('no app parsed');
  const [process] = app.processes;
  if (!process) throw new Error('no process parsed');
  return instanceEnvironment({
    space: 'dev',
    app,
    process,
    index: 0,
    port: 40123,
    pushId: 'push-1',
    bindings: new Map(),
    inherit: { PATH: '/usr/bin', HOST: '0.0.0.0' },
  });
}

describe("an instance's environment on the local platform", () => {
  test('when an instance starts, then it is told to listen on loopback only, whatever the manifest or the shell says: the router is its one way in, as on a cell', () => {
    expect(environmentOf({ APP_VERSION: '1.0.0' })).toMatchObject({
      HOST: '127.0.0.1',
      PORT: '40123',
      CF_INSTANCE_IP: '127.0.0.1',
      APP_VERSION: '1.0.0',
    });
    expect(environmentOf({ HOST: '0.0.0.0' }).HOST).toBe('127.0.0.1');
  });
});
