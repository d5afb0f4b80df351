/**
 * Fake `cf` and `heroku` executables on PATH (fixtures/fake-paas.js) that record every call
 * and remember what was created, for the provision tests of each target.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One revision of a cf app (fixtures/fake-day-two.js prints them as cf revisions does). */
export interface FakeRevision {
  n: number;
  env: Record<string, string>;
  description: string;
  created: string;
  deployable?: boolean;
}

/** A cf app as the fake knows it. */
export interface FakeCfApp {
  revisions: FakeRevision[];
  deployed: number[];
  processes?: Record<string, { instances?: number; memory?: number }>;
  env?: Record<string, string>;
  system?: Record<string, unknown>;
  tasks?: { id: number; name: string; state: string; failure: string }[];
  logs?: string[];
}

/** A Heroku release as the Platform API (and heroku releases --json) gives it. */
export interface FakeHerokuRelease {
  version: number;
  description: string;
  current: boolean;
  status: string;
  created_at: string;
  slug: { id: string } | null;
}

/** What a day-two test seeds: cf apps, Heroku apps with releases, task outcomes, commands that fail ("cf rollback users"). */
export interface Seed {
  /** applied: the apps of each manifest cf apply-manifest was given. */
  cf?: { apps: Record<string, FakeCfApp>; taskExit?: Record<string, number>; applied?: string[][] };
  apps?: Record<
    string,
    { config: Record<string, string>; buildpacks: string[]; releases?: FakeHerokuRelease[]; formation?: Record<string, number> }
  >;
  runExit?: number;
  failing?: string[];
  /** cf bind-service calls: [app, service]. */
  bindings?: Array<[app: string, service: string]>;
}

export interface Fake {
  env: NodeJS.ProcessEnv;
  calls: () => string[][];
  /** Starts the fake platform with this state. */
  seed: (state: Seed) => void;
  state: () => {
    spaces: string[];
    services: Record<string, { offering?: string; plan?: string; credentials?: Record<string, string> }>;
    apps: Record<string, { config: Record<string, string>; buildpacks: string[] }>;
    pipelines: Record<string, string[]>;
    addons: string[];
  } & Seed;
}

export function fake(): Fake {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-paas-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  for (const tool of ['cf', 'heroku']) fs.copyFileSync(path.join(__dirname, 'fixtures', 'fake-paas.js'), path.join(bin, tool));
  fs.copyFileSync(path.join(__dirname, 'fixtures', 'fake-day-two.js'), path.join(bin, 'fake-day-two.js'));
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
