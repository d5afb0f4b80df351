import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { freePort } from '@bundle/kit/testing';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './chat-apps';

/**
 * The Procfile as `heroku local` runs it (@heroku/foreman, the runner inside `heroku local`):
 * its process types, a base port with a free block above it, an env file from .env.example,
 * and one run of the runner with its output split by process type. procfile.test.ts runs the
 * journeys through the Procfile's router, gateway.test.ts through nginx in front of it.
 */

export const PROCESS_TYPES = readFileSync(join(ROOT, 'Procfile'), 'utf8')
  .split('\n')
  .map((line) => /^([\w-]+):/.exec(line)?.[1])
  .filter((name): name is string => name !== undefined);
/** Every app of the manifest: each is a web process type of the Procfile under its own name. */
export const WEB_APPS = (
  parseYaml(readFileSync(join(ROOT, 'manifest.yml'), 'utf8')) as { applications: { name: string }[] }
).applications.map((app) => app.name);

/** A base port with base + 100 * n free for every process type (the runner's scheme). */
export async function freePortBlock(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const base = await freePort();
    const ports = PROCESS_TYPES.map((_, index) => base + 100 * index);
    if (ports.every((port) => port <= 65535) && (await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error('no block of free ports for the Procfile');
}

function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** .env.example as it is, with this run's Redis (and PORT when given), written as `file`; the web client from `clientDir`. */
export function envFile(file: string, options: { redisUrl: string; clientDir: string; port?: number }): string {
  const lines = readFileSync(join(ROOT, '.env.example'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => (line.startsWith('REDIS_URL=') ? `REDIS_URL=${options.redisUrl}` : line));
  lines.push(`UI_PUBLIC_DIR=${options.clientDir}`, ...(options.port === undefined ? [] : [`PORT=${options.port}`]));
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** One run of the Procfile under @heroku/foreman, its output split by process type. */
export class ForemanRun {
  readonly output: string[] = [];
  private runner: ChildProcess | undefined;

  /** `args`: how the base is given (-p N, or nothing when the env file sets PORT). */
  async start(env: string, args: string[]): Promise<void> {
    // Its own process group, so stopping it can do what Ctrl-C does in a terminal.
    this.runner = spawn(process.execPath, [require.resolve('@heroku/foreman/nf.js'), 'start', '-j', 'Procfile', '-e', env, ...args], {
      cwd: ROOT,
      detached: true,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    this.runner.stdout?.setEncoding('utf8');
    this.runner.stdout?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      this.output.push(...lines);
    });
    this.runner.stderr?.setEncoding('utf8');
    this.runner.stderr?.on('data', (chunk: string) => this.output.push(...chunk.split('\n').filter(Boolean)));
    await this.allStarted();
  }

  get process(): ChildProcess {
    return this.runner as ChildProcess;
  }

  /** Lines of one process type, without the runner's "time name.1 |" prefix. */
  linesOf(type: string): string[] {
    const prefix = new RegExp(`^[^|]*\\b${type}\\.1\\s+\\|  `);
    return this.output.filter((line) => prefix.test(line)).map((line) => line.replace(prefix, ''));
  }

  /** The port the router says it listens on (the runner's base port). */
  routerPort(): number {
    return Number(/^router: http:\/\/localhost:(\d+)/m.exec(this.linesOf('router').join('\n'))?.[1]);
  }

  tail(): string {
    return this.output.slice(-40).join('\n');
  }

  kill(): void {
    if (this.runner?.pid !== undefined && this.runner.exitCode === null) process.kill(-this.runner.pid, 'SIGKILL');
  }

  /** Resolves when every process type said it is up; rejects if the runner ends first. */
  private allStarted(): Promise<void> {
    const started = (): boolean =>
      this.linesOf('router').some((line) => line.startsWith('router: http://')) &&
      this.linesOf('worker').some((line) => line.includes('"consuming the event bus"')) &&
      WEB_APPS.every((app) => this.linesOf(app).some((line) => line.includes('"msg":"listening"')));
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!started()) return;
        this.runner?.stdout?.off('data', check);
        resolve();
      };
      this.runner?.stdout?.on('data', check);
      this.runner?.once('exit', (code) => reject(new Error(`the runner exited (${code}) before every process was up:\n${this.tail()}`)));
    });
  }
}
