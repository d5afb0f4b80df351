import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { PlatformError } from '../manifest/errors';
import { freePort } from './ports';

export interface PrivateRedis {
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

export const INSTALL_REDIS =
  'redis-server is not installed: install it (Debian/Ubuntu: sudo apt-get install -y redis-server; Fedora: sudo dnf install -y redis; macOS: brew install redis) or set REDIS_URL=redis://host:port';

/**
 * A redis-server for one space, on 127.0.0.1 and a free port, keeping its data in `dir`
 * with the append-only file on, so stopping and starting the space keeps the data.
 * Resolves once it accepts connections (it says so on stdout).
 */
export async function startPrivateRedis(dir: string): Promise<PrivateRedis> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--protected-mode', 'yes', '--daemonize', 'no'];
  // Its own process group: a terminal's Ctrl-C goes to the supervisor, which stops it last.
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new PlatformError(INSTALL_REDIS) : error));
    child.once('exit', (code) => reject(new PlatformError(`redis-server exited with ${code} before it was ready: ${output.trim().split('\n').pop() ?? ''}`)));
  });
  child.stderr?.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGTERM: redis-server flushes the append-only file and exits.
      child.kill('SIGTERM');
      await exited;
    },
  };
}
