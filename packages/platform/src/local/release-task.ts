import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppSpec } from '../manifest/types';
import { PlatformError } from '../manifest/errors';
import { lineSplitter, logTime, type LogRecord } from './logs';

/** The release task of an app, as on Cloud Foundry and Heroku: apps/<app>/dist/release.js, when built. */
export function releaseTaskOf(app: AppSpec): string | undefined {
  const file = join(app.path, 'apps', app.name, 'dist', 'release.js');
  return existsSync(file) ? file : undefined;
}

/**
 * Runs an app's release task (its migrations, say) once, with the environment and bindings
 * its instances get, before any instance of the release starts: as `cf push` through
 * scripts/targets/cf/release-task.js and Heroku's release phase do. Its lines go to the
 * space's log as [APP/TASK/release/0]; a failure throws, so no instance of that release starts.
 */
export async function runReleaseTask(app: AppSpec, env: Record<string, string>, log: (record: LogRecord) => void): Promise<void> {
  const file = releaseTaskOf(app);
  if (!file) return;
  const child = spawn(process.execPath, [file], { cwd: app.path, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const last: string[] = [];
  const source = 'APP/TASK/release/0';
  for (const [stream, name] of [
    [child.stdout, 'OUT'],
    [child.stderr, 'ERR'],
  ] as const) {
    const splitter = lineSplitter((line) => {
      if (name === 'ERR') last.push(line);
      log({ time: logTime(), app: app.name, source, stream: name, line });
    });
    stream?.on('data', (chunk: Buffer) => splitter.push(chunk));
  }
  const code = await new Promise<number | string>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('close', (exitCode, signal) => resolve(exitCode ?? signal ?? '?'));
  });
  if (code !== 0) throw new PlatformError(`${app.name}'s release task failed (exit ${code}): ${last.at(-1) ?? 'see scripts/logs'}`);
}
