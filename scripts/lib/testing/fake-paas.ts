/**
 * Fake `cf` and `heroku` executables on PATH (fixtures/fake-paas.js) that record every call
 * and remember what was created, for the provision tests of each target.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Fake {
  env: NodeJS.ProcessEnv;
  calls: () => string[][];
  state: () => {
    spaces: string[];
    services: Record<string, { offering?: string; plan?: string; credentials?: Record<string, string> }>;
    apps: Record<string, { config: Record<string, string>; buildpacks: string[] }>;
    pipelines: Record<string, string[]>;
    addons: string[];
    cfApps?: string[];
    bindings?: Array<[app: string, service: string]>;
  };
  /** Lays state down before a run (e.g. cf apps already pushed). */
  seed: (state: Record<string, unknown>) => void;
}

export function fake(): Fake {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-paas-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  for (const tool of ['cf', 'heroku']) fs.copyFileSync(path.join(__dirname, 'fixtures', 'fake-paas.js'), path.join(bin, tool));
  for (const tool of ['cf', 'heroku']) fs.chmodSync(path.join(bin, tool), 0o755);
  const read = (file: string) => (fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), 'utf8') : '');
  return {
    env: { PATH: `${bin}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}/usr/bin:/bin`, FAKE_STATE: dir },
    calls: () =>
      read('calls')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[]),
    state: () => JSON.parse(read('state.json')),
    seed: (state) =>
      fs.writeFileSync(
        path.join(dir, 'state.json'),
        JSON.stringify({ spaces: [], services: {}, apps: {}, pipelines: {}, addons: [], ...state }),
      ),
  };
}

/** The calls that change something (not a check). */
export const writes = (calls: string[][]) =>
  calls.filter(
    ([tool, command]) =>
      ![
        'target',
        'space',
        'service',
        'auth:whoami',
        'apps:info',
        'pipelines:info',
        'addons:info',
        'config',
        'config:get',
        'buildpacks',
        'app',
        'curl',
      ].includes(command ?? '') || tool === undefined,
  );
