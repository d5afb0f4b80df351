import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ManifestError, PlatformError } from '../manifest/errors';
import { isAlive, readState, startControl, statePath, stopLeftovers, writeState, socketPath } from '../local/control';
import { createFormatter, LogHub } from '../local/logs';
import { Space } from '../local/space';
import { startBlock } from './start-block';
import { dataDirOf, fail, parseCommand, spaceArgument, ROOT, strings, usageError, varsOf, type Command } from './common';

export const COMMAND: Command = {
  name: 'start',
  usage: 'usage: scripts/start [space] [--json] [--detach] [--var name=value]... [--vars-file file]... [--manifest file]',
  about: 'Brings up a space: its Redis, its router and every app of the manifest; Ctrl-C or scripts/stop stops it.',
  positionals: ['[space]  dev (default, port 8080), staging (8081), production (8082) or any name'],
  maxPositionals: 1,
  options: {
    json: { type: 'boolean', doc: 'the logs as JSON lines, even at a terminal' },
    detach: { type: 'boolean', doc: 'run in the background (output in .local/<space>/supervisor.log)' },
    var: {
      type: 'string',
      multiple: true,
      value: 'name=value',
      doc: "a manifest variable, beating the vars files (like cf push --var); router_port picks the router's port",
    },
    'vars-file': { type: 'string', multiple: true, value: 'file', doc: 'vars files instead of vars/<space>.yml' },
    manifest: { type: 'string', value: 'file', doc: 'another manifest than manifest.yml' },
  },
};

/** The arguments, checked: --help and bad ones answer and exit here. */
export function parse(argv: string[]): {
  space: string;
  json: boolean;
  detach: boolean;
  vars: Record<string, string>;
  varsFiles?: string[];
  manifestFile?: string;
  routerPort?: number;
} {
  const parsed = parseCommand(argv, COMMAND);
  const vars = varsOf('start', strings(parsed, 'var'), COMMAND.usage);
  // --var router_port beats ROUTER_PORT and the vars file, as every --var beats the files.
  let routerPort: number | undefined;
  if (vars.router_port !== undefined) {
    routerPort = Number(vars.router_port);
    if (vars.router_port === '' || !Number.isInteger(routerPort) || routerPort < 0 || routerPort > 65535)
      usageError(COMMAND, `--var router_port=${vars.router_port}: expected a port number (0-65535)`);
  }
  const varsFiles = strings(parsed, 'vars-file').map((file) => resolve(file));
  const manifestFile = strings(parsed, 'manifest').pop();
  // Named now: the space would first complain of what it reads before the manifest (its router port).
  for (const [option, file] of [
    ...varsFiles.map((file) => ['--vars-file', file] as const),
    ...(manifestFile ? [['--manifest', manifestFile] as const] : []),
  ]) {
    if (!existsSync(file)) usageError(COMMAND, `${option} ${file}: no such file`);
  }
  return {
    space: spaceArgument(COMMAND, parsed.positionals[0]),
    json: parsed.values.json === true,
    detach: parsed.values.detach === true,
    vars,
    ...(varsFiles.length > 0 ? { varsFiles } : {}),
    ...(manifestFile ? { manifestFile: resolve(manifestFile) } : {}),
    ...(routerPort !== undefined ? { routerPort } : {}),
  };
}

/**
 * scripts/start <space>: runs the space in this process (the supervisor) until Ctrl-C or
 * scripts/stop; --detach runs it in the background (output in .local/<space>/supervisor.log).
 */
export async function main(argv: string[]): Promise<void> {
  const args = parse(argv);
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
  if (args.detach)
    return detach(
      spaceName,
      argv.filter((arg) => arg !== '--detach'),
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
  try {
    mkdirSync(dataDir, { recursive: true });
    await space.start();
    control = await startControl(space, hub, () => void shutdown('scripts/stop').then(() => process.exit(0)));
  } catch (error) {
    if (error instanceof ManifestError || error instanceof PlatformError) fail('start', error.message);
    throw error;
  }
  for (const line of startBlock(space, ROOT, (Date.now() - t0) / 1000)) say(line);
  // After the block: --detach prints the block once the state file says the space is up.
  writeState(space);
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
  const child = spawn(process.execPath, [process.argv[1] ?? __filename, ...argv], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, PLATFORM_T0: process.env.PLATFORM_T0 ?? String(Date.now()) },
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
