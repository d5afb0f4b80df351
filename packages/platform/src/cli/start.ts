import { spawn } from 'node:child_process';
import { closeSync, fchmodSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ManifestError, PlatformError } from '../manifest/errors';
import { isAlive, readState, startControl, statePath, stopLeftovers, writeState, socketPath } from '../local/control';
import { createFormatter, LogHub } from '../local/logs';
import { Space } from '../local/space';
import { startSpaceConsole } from '../local/console/space-console';
import { startBlock } from './start-block';
import { dataDirOf, fail, ROOT } from './common';

/** What scripts/start was asked for (scripts/commands/start.js parses and checks it). */
export interface StartArgs {
  space: string;
  json: boolean;
  detach: boolean;
  vars: Record<string, string>;
  varsFiles?: string[];
  manifestFile?: string;
  routerPort?: number;
}

/**
 * scripts/start <space>: runs the space in this process (the supervisor) until Ctrl-C or
 * scripts/stop; --detach runs it in the background (output in .local/<space>/supervisor.log).
 */
export async function main(args: StartArgs): Promise<void> {
  const spaceName = args.space;
  const dataDir = dataDirOf(spaceName);
  const running = readState(dataDir);
  if (running && isAlive(running.pid))
    fail('start', `space ${spaceName} is already running at ${running.url} (pid ${running.pid}); scripts/stop ${spaceName} stops it`);
  // Never a second Redis on the data a dead supervisor's Redis still writes.
  const left = await stopLeftovers(dataDir);
  if (left)
    process.stdout.write(
      `start: space ${spaceName}: its last supervisor died; stopped the ${left} process${left === 1 ? '' : 'es'} it left running\n`,
    );
  // The background supervisor is the same command run again without --detach.
  if (args.detach)
    return detach(
      spaceName,
      process.argv.slice(2).filter((arg) => arg !== '--detach'),
      dataDir,
    );

  const t0 = Number(process.env.PLATFORM_T0 ?? Date.now());
  const pretty = process.stdout.isTTY === true && !args.json;
  const format = createFormatter({ pretty, color: pretty });
  const hub = new LogHub();
  hub.on('line', (record) => process.stdout.write(`${format(record)}\n`));
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const { varsFiles, manifestFile } = args;
  const space = new Space({
    root: ROOT,
    space: spaceName,
    vars: args.vars,
    ...(varsFiles ? { varsFiles } : {}),
    ...(manifestFile ? { manifestFile } : {}),
    ...(args.routerPort !== undefined ? { routerPort: args.routerPort } : {}),
    log: (record) => hub.write(record),
    say,
  });

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      say(`stop: ${reason}: stopping space ${spaceName} (apps drain, then the router and Redis)`);
      await space.stop();
      control?.close();
      await consoleServer?.close();
      rmSync(statePath(dataDir), { force: true });
      rmSync(socketPath(dataDir), { force: true });
      say(`stop: space ${spaceName} stopped`);
    })();
    return stopping;
  };
  // A second Ctrl-C does not wait for the drain.
  process.on('SIGINT', () => void (stopping ? hardExit(space) : shutdown('SIGINT').then(() => process.exit(0))));
  process.on('SIGTERM', () => void shutdown('SIGTERM').then(() => process.exit(0)));
  process.on('exit', () => hardExit(space, false));

  say(
    `start: space ${spaceName} from ${manifestFile ? relative(ROOT, manifestFile) : 'manifest.yml'} with ${(varsFiles ?? space.varsFiles()).map((file) => relative(ROOT, file)).join(', ') || 'no vars file'}`,
  );
  let control: Awaited<ReturnType<typeof startControl>> | undefined;
  let consoleServer: Awaited<ReturnType<typeof startSpaceConsole>> | undefined;
  try {
    mkdirSync(dataDir, { recursive: true });
    await space.start();
    control = await startControl(space, hub, () => void shutdown('scripts/stop').then(() => process.exit(0)));
    consoleServer = await startSpaceConsole(space, hub);
  } catch (error) {
    if (error instanceof ManifestError || error instanceof PlatformError) fail('start', error.message);
    throw error;
  }
  for (const line of startBlock(space, ROOT, (Date.now() - t0) / 1000, { detached: process.env.PLATFORM_DETACHED === '1' })) say(line);
  // After the block: --detach prints the block once the state file says the space is up.
  writeState(space);
}

/** Kills whatever is left, at once (second Ctrl-C, or the supervisor exiting unexpectedly). */
function hardExit(space: Space, exit = true): void {
  for (const slot of space.slots.values()) slot.instance.signal('SIGKILL');
  const redisPid = space.provisioned?.redisPid;
  // PostgreSQL's fast shutdown (SIGINT) keeps what was committed.
  const postgresPid = space.provisioned?.privatePostgres?.pid;
  for (const [pid, signal] of [
    [redisPid, 'SIGTERM'],
    [postgresPid, 'SIGINT'],
  ] as const) {
    if (pid === undefined || space.stopping) continue;
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
  if (exit) process.exit(1);
}

/** Starts the supervisor in the background and returns once it is up (or says why not). */
async function detach(spaceName: string, argv: string[], dataDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const logFile = join(dataDir, 'supervisor.log');
  // Its owner's alone: the start block in it names the console's URL, token and all.
  const fd = openSync(logFile, 'w', 0o600);
  fchmodSync(fd, 0o600);
  const child = spawn(process.execPath, [process.argv[1] ?? __filename, ...argv], {
    detached: true,
    stdio: ['ignore', fd, fd],
    // PLATFORM_DETACHED: the supervisor's block then says how to stop a space with no terminal of its own.
    env: { ...process.env, PLATFORM_T0: process.env.PLATFORM_T0 ?? String(Date.now()), PLATFORM_DETACHED: '1' },
  });
  closeSync(fd);
  child.unref();
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  for (;;) {
    const state = readState(dataDir);
    if (state && state.pid === child.pid) break;
    const code = await Promise.race([exited, new Promise<undefined>((resolve) => setTimeout(resolve, 100))]);
    if (code !== undefined) {
      const lines = readFileSync(logFile, 'utf8').trim().split('\n');
      fail(
        'start',
        (lines.filter((line) => line.startsWith('start: ')).pop() ?? lines.pop() ?? `the supervisor exited with ${code}`).replace(
          /^start: /,
          '',
        ),
      );
    }
  }
  // The start lines and the block's (startBlock: two spaces in).
  const lines = readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('start: ') || line.startsWith('  '));
  for (const line of lines) process.stdout.write(`${line}\n`);
  process.stdout.write(`start: running in the background (pid ${child.pid}, output in ${logFile}); scripts/stop ${spaceName} stops it\n`);
  process.exit(0);
}
