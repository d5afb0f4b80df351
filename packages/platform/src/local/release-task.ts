import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PlatformError } from '../manifest/errors';
import type { AppSpec } from '../manifest/types';
import { instanceEnvironment } from './environment';
import { lineSplitter, logTime } from './logs';
import { freePort } from './ports';
import type { LogRecord } from './log-record';
import type { VcapBinding } from './bindings';

/** What of a space a release task needs (the Space class has it; not imported, as space.ts runs the tasks of its first release). */
export interface TaskHost {
  readonly name: string;
  readonly env: NodeJS.ProcessEnv;
  readonly provisioned: { bindings: Map<string, VcapBinding> } | undefined;
  readonly internalAddresses: ReadonlyMap<string, number>;
  say(line: string): void;
  log(record: LogRecord): void;
}

/** How long a release task may run (Cloud Foundry's default task limit is far longer; a migration that takes this long is a job of its own). */
export const RELEASE_TASK_LIMIT_MS = 30 * 60_000;

/** Where an app's release task is in its droplet: src/release.ts, built (cf and heroku look for the same file). */
export const releaseTaskOf = (app: AppSpec): string => join('apps', app.name, 'dist', 'release.js');

/**
 * Runs the release task of each app that has one, in the manifest's order, from the new
 * droplet and with the environment its instances will get (VCAP_SERVICES and the rest),
 * before any of its instances starts: Heroku's release phase, and the task the cf push runs
 * on the new droplet before the deployment. Its lines go to the space's log as
 * [APP/TASK/release/0]. The first that fails stops the push: nothing of the new release
 * has taken traffic, so the running release keeps serving.
 */
export async function runReleaseTasks(space: TaskHost, apps: AppSpec[], pushId: string): Promise<string[]> {
  const ran: string[] = [];
  for (const app of apps) {
    const file = releaseTaskOf(app);
    if (!existsSync(join(app.path, file))) continue;
    space.say(`push: release task of ${app.name}: node ${file}`);
    const { code, last } = await runOne(space, app, file, pushId);
    if (code !== 0)
      throw new PlatformError(
        `push stopped: the release task of ${app.name} failed (${code === null ? 'killed' : `exit ${code}`}${last ? `: ${last}` : ''}); the running release keeps serving`,
      );
    ran.push(app.name);
  }
  return ran;
}

async function runOne(space: TaskHost, app: AppSpec, file: string, pushId: string): Promise<{ code: number | null; last: string }> {
  const process = app.processes.find((spec) => spec.type === 'web') ?? app.processes[0];
  if (!process) throw new PlatformError(`app ${app.name} has no process to take its environment from`);
  const env = instanceEnvironment({
    space: space.name,
    app,
    process,
    index: 0,
    port: await freePort(),
    pushId,
    bindings: space.provisioned?.bindings ?? new Map(),
    inherit: space.env,
    internalAddresses: space.internalAddresses,
  });
  const child = spawn('bash', ['-c', `exec node ${file}`], { cwd: app.path, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let last = '';
  for (const [stream, tag] of [
    [child.stdout, 'OUT'],
    [child.stderr, 'ERR'],
  ] as const) {
    const splitter = lineSplitter((line) => {
      if (line.trim()) last = line.trim().slice(0, 200);
      space.log({ time: logTime(), app: app.name, source: 'APP/TASK/release/0', stream: tag, line });
    });
    stream.on('data', (chunk: Buffer) => splitter.push(chunk));
    stream.on('end', () => splitter.end());
  }
  const limit = setTimeout(() => {
    last = `still running after ${RELEASE_TASK_LIMIT_MS / 60_000} min: killed`;
    if (child.pid !== undefined) globalThis.process.kill(-child.pid, 'SIGKILL');
  }, RELEASE_TASK_LIMIT_MS);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode) => resolve(exitCode));
    });
    return { code, last };
  } finally {
    clearTimeout(limit);
  }
}
