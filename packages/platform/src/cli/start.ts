import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ManifestError, PlatformError } from '../manifest/errors';
import { isAlive, readState, startControl, statePath, writeState, socketPath } from '../local/control';
import { createFormatter, LogHub } from '../local/logs';
import { Space } from '../local/space';
import { dataDirOf, fail, parseArgs, ROOT, varsOf } from './common';

const USAGE = 'scripts/start [space] [--json] [--detach] [--var name=value]... [--vars-file file]... [--manifest file]';

/**
 * scripts/start <space>: runs the space in this process (the supervisor) until Ctrl-C or
 * scripts/stop; --detach runs it in the background (output in .local/<space>/supervisor.log).
 */
export async function main(argv: string[]): Promise<void> {
  const args = parseArgs('start', argv, ['--json', '--detach', '--help'], ['--var', '--vars-file', '--manifest']);
  if (args.flags.has('--help')) return void process.stdout.write(`${USAGE}\n`);
  const spaceName = args.positional[0] ?? 'dev';
  const dataDir = dataDirOf(spaceName);
  const running = readState(dataDir);
  if (running && isAlive(running.pid)) fail('start', `space ${spaceName} is already running at ${running.url} (pid ${running.pid}); scripts/stop ${spaceName} stops it`);
  if (args.flags.has('--detach')) return detach(spaceName, argv.filter((arg) => arg !== '--detach'), dataDir);

  const t0 = Number(process.env.PLATFORM_T0 ?? Date.now());
  const pretty = process.stdout.isTTY === true && !args.flags.has('--json');
  const format = createFormatter({ pretty, color: pretty });
  const hub = new LogHub();
  hub.on('line', (record) => process.stdout.write(`${format(record)}\n`));
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const varsFiles = args.options.get('--vars-file')?.map((file) => resolve(file));
  const manifestFile = args.options.get('--manifest')?.pop();
  const space = new Space({
    root: ROOT,
    space: spaceName,
    vars: varsOf('start', args.options.get('--var') ?? []),
    ...(varsFiles ? { varsFiles } : {}),
    ...(manifestFile ? { manifestFile: resolve(manifestFile) } : {}),
    log: (record) => hub.write(record),
    say,
  });

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      say(`stop: ${reason}: stopping space ${spaceName} (apps drain, then the router and Redis)`);
      await space.stop();
      control?.close();
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

  say(`start: space ${spaceName} from ${manifestFile ?? 'manifest.yml'} with ${(varsFiles ?? space.varsFiles()).map((file) => relative(ROOT, file)).join(', ') || 'no vars file'}`);
  let control: Awaited<ReturnType<typeof startControl>> | undefined;
  try {
    mkdirSync(dataDir, { recursive: true });
    await space.start();
    control = await startControl(space, hub, () => void shutdown('scripts/stop').then(() => process.exit(0)));
    writeState(space);
  } catch (error) {
    if (error instanceof ManifestError || error instanceof PlatformError) fail('start', error.message);
    throw error;
  }
  const instances = space.slots.size;
  say(`start: ${space.url} is up: ${space.manifest?.apps.length ?? 0} apps, ${instances} instances ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  say(`start: redis: ${space.provisioned?.redis ?? 'none'}`);
  say(`start: Ctrl-C stops everything; scripts/status ${spaceName}, scripts/logs ${spaceName} [app] from another terminal`);
}

/** Kills whatever is left, at once (second Ctrl-C, or the supervisor exiting unexpectedly). */
function hardExit(space: Space, exit = true): void {
  for (const slot of space.slots.values()) slot.instance.signal('SIGKILL');
  const redisPid = space.provisioned?.redisPid;
  if (redisPid !== undefined && !space.stopping) {
    try {
      process.kill(redisPid, 'SIGTERM');
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
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [process.argv[1] ?? __filename, ...argv], { detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, PLATFORM_T0: process.env.PLATFORM_T0 ?? String(Date.now()) } });
  closeSync(fd);
  child.unref();
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  for (;;) {
    const state = readState(dataDir);
    if (state && state.pid === child.pid) break;
    const code = await Promise.race([exited, new Promise<undefined>((resolve) => setTimeout(resolve, 100))]);
    if (code !== undefined) {
      const lines = readFileSync(logFile, 'utf8').trim().split('\n');
      fail('start', (lines.filter((line) => line.startsWith('start: ')).pop() ?? lines.pop() ?? `the supervisor exited with ${code}`).replace(/^start: /, ''));
    }
  }
  const lines = readFileSync(logFile, 'utf8').split('\n').filter((line) => line.startsWith('start: '));
  for (const line of lines) process.stdout.write(`${line}\n`);
  process.stdout.write(`start: running in the background (pid ${child.pid}, output in ${logFile}); scripts/stop ${spaceName} stops it\n`);
  process.exit(0);
}
