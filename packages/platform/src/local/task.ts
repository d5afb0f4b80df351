import { spawn } from 'node:child_process';
import { ManifestError } from '../manifest/errors';
import { environmentOf } from './app-env';
import { lineSplitter, logTime, type LogRecord } from './logs';
import { freePort } from './ports';
import type { Space } from './space';

export interface TaskRequest {
  app: string;
  /** Its name in the logs: [APP/TASK/<name>/0]. */
  name: string;
  /** The command as one shell line (bash -c, as cf runs a task's command). */
  line: string;
}

/** A running task: its lines as they come, and its end. */
export interface RunningTask {
  /** Resolves with the exit code (128 + the signal's number when a signal ended it, as bash reports it). */
  exited: Promise<number>;
  /** Ends it (SIGTERM to its process group): the person who ran it has gone. */
  stop(): void;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/**
 * A one-off task of an app (scripts/run-task, twelve-factor XII): `bash -c <line>` in the
 * app's folder, started by the space's supervisor with the environment and bindings the app's
 * instances run with (environment.ts: VCAP_SERVICES, VCAP_APPLICATION, the app's env, a PORT
 * of its own that no route reaches). Each line goes to the space's log as cf tags a task's,
 * [APP/TASK/<name>/0], and to `onLine`; its end is logged as cf's executor logs it, "Exit status N".
 */
export async function runTask(space: Space, task: TaskRequest, onLine: (record: LogRecord) => void): Promise<RunningTask> {
  const app = space.manifest?.apps.find((candidate) => candidate.name === task.app);
  if (!app)
    throw new ManifestError(
      `space ${space.name} runs no app ${task.app} (its apps: ${space.manifest?.apps.map((other) => other.name).join(', ')})`,
    );
  const running = [...space.slots.values()].find((slot) => slot.app.name === app.name);
  const env = environmentOf(space, running?.app ?? app, 'web', 0, await freePort(), running?.pushId ?? '');
  const source = `APP/TASK/${task.name}/0`;
  // The platform's own lines (start, exit status) go to the log only; the task's, to the person too.
  const emit = (stream: 'OUT' | 'ERR', line: string, own = true): void => {
    const record: LogRecord = { time: logTime(), app: app.name, source, stream, line };
    space.log(record);
    if (own) onLine(record);
  };
  emit('OUT', `Starting task ${task.name}: ${task.line}`, false);
  const child = spawn('bash', ['-c', task.line], {
    cwd: (running?.app ?? app).path,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const [stream, tag] of [
    [child.stdout, 'OUT'],
    [child.stderr, 'ERR'],
  ] as const) {
    const splitter = lineSplitter((line) => emit(tag, line));
    stream.on('data', (chunk: Buffer) => splitter.push(chunk));
    stream.on('end', () => splitter.end());
  }
  // In a process group of its own (a Ctrl-C at the supervisor's terminal is the supervisor's),
  // so it would outlive a supervisor that exits: the exit takes it along.
  const orphaned = (): void => signalGroup(child.pid, 'SIGTERM');
  process.once('exit', orphaned);
  const exited = new Promise<number>((resolve) => {
    child.on('error', (error) => {
      emit('ERR', `cannot start: ${error.message}`);
      resolve(127);
    });
    // 'close': every line of its output is in before the exit status.
    child.on('close', (code, signal) => {
      process.off('exit', orphaned);
      const status = code ?? 128 + (SIGNALS[signal ?? ''] ?? 0);
      emit('OUT', `Exit status ${status}`, false);
      resolve(status);
    });
  });
  return {
    exited,
    stop() {
      if (child.exitCode === null && child.signalCode === null) signalGroup(child.pid, 'SIGTERM');
    },
  };
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // gone
  }
}
