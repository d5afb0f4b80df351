import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AppSpec, ProcessSpec } from '../manifest/types';
import { check, probe } from './health';
import { lineSplitter, logTime, type LogRecord } from './logs';
import type { Backend } from './router';

export type InstanceState = 'starting' | 'running' | 'crashed' | 'stopping' | 'stopped';

export interface InstanceOptions {
  app: AppSpec;
  process: ProcessSpec;
  index: number;
  port: number;
  version: string;
  /** The whole environment of the process (the runner adds nothing). */
  env: Record<string, string>;
  log: (record: LogRecord) => void;
  /** Seconds between checks once running when the manifest gives no interval. */
  checkIntervalSeconds?: number;
}

/** Cloud Foundry gives an instance 10 s between SIGTERM and SIGKILL. */
export const STOP_GRACE_MS = 10_000;

/**
 * One process of one app: `bash -c "<command>"` in the app's path, in a process group of
 * its own (so a terminal's Ctrl-C reaches the supervisor only, and stopping reaches
 * everything the command started). Emits 'exit' (code, signal, expected: the platform stopped it, not for a fault), and once
 * running 'unhealthy' when a liveness check fails and 'readiness' (ready) when the
 * readiness check changes its answer.
 */
export class Instance extends EventEmitter {
  readonly id = randomUUID();
  readonly app: AppSpec;
  readonly process: ProcessSpec;
  readonly index: number;
  readonly port: number;
  readonly version: string;
  readonly source: string;
  /** What the router sends requests to (made once: the router asks for its pool on every request). */
  readonly backend: Backend;
  state: InstanceState = 'starting';
  /** Passes its readiness check (and so may be routed to). */
  ready = false;
  startedAt = 0;
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Why the last readiness check failed ("users-db: error: connect ECONNREFUSED ..."); undefined while it passes. */
  unreadyReason: string | undefined;
  /** Resident memory of its process tree at the last sample (memory.ts), in bytes. */
  memoryBytes: number | undefined;
  /** Set when the platform killed it for a reason that is still a crash ("out of memory"). */
  killedFor: string | undefined;
  /**
   * The platform asked it to stop (push, scale down, space stop, failed liveness). Kept
   * apart from `state`, which the start-up checks move on: an exit after this is the
   * platform's doing, whatever the code.
   */
  private stopRequested = false;
  private child: ChildProcess | undefined;
  private monitor: NodeJS.Timeout | undefined;
  private readonly lastLines: string[] = [];
  private readonly exited: Promise<void>;
  private markExited: () => void = () => undefined;

  constructor(private readonly options: InstanceOptions) {
    super();
    this.app = options.app;
    this.process = options.process;
    this.index = options.index;
    this.port = options.port;
    this.version = options.version;
    this.source = `APP/PROC/${options.process.type.toUpperCase()}/${options.index}`;
    this.backend = { id: this.id, app: options.app.name, index: options.index, port: options.port };
    this.exited = new Promise((resolve) => (this.markExited = resolve));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return this.exit === undefined && this.child !== undefined;
  }

  start(): void {
    this.startedAt = Date.now();
    const child = spawn('bash', ['-c', this.process.command], {
      cwd: this.app.path,
      env: this.options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    for (const [stream, tag] of [
      [child.stdout, 'OUT'],
      [child.stderr, 'ERR'],
    ] as const) {
      const splitter = lineSplitter((line) => this.line(line, tag));
      stream?.on('data', (chunk: Buffer) => splitter.push(chunk));
      stream?.on('end', () => splitter.end());
    }
    child.on('error', (error) => this.line(`cannot start: ${error.message}`, 'ERR'));
    child.on('exit', (code, signal) => {
      this.exit = { code, signal };
      // Expected: the platform asked it to stop and not because something was wrong with it.
      const expected = this.stopRequested && this.killedFor === undefined;
      this.state = expected ? 'stopped' : 'crashed';
      this.ready = false;
      this.stopMonitor();
      this.markExited();
      this.emit('exit', code, signal, expected);
    });
  }

  /**
   * Resolves once the liveness and then the readiness check pass; rejects with a reason
   * when the process exits first or `timeout` seconds pass (the instance then counts as
   * crashed and the caller stops it).
   */
  async waitUntilReady(): Promise<void> {
    const deadline = this.startedAt + this.process.timeout * 1000;
    let live = false;
    for (;;) {
      if (this.stopRequested) throw new Error(`${this.describe()} was stopped before it was ready`);
      if (!this.alive) throw new Error(`${this.describe()} exited (${this.exitText()}) before it was ready${this.lastOutput()}`);
      if (Date.now() > deadline)
        throw new Error(
          `${this.describe()} was not ready within ${this.process.timeout} s${this.unreadyReason ? ` (readiness: ${this.unreadyReason})` : ''}${this.lastOutput()}`,
        );
      live = live || (await probe(this.port, this.process.health));
      if (live) {
        const ready = await check(this.port, this.process.readiness);
        this.unreadyReason = ready.reason;
        // A stop asked for while the check was on its way wins: the instance must not count as running.
        if (ready.ok && this.alive && !this.stopRequested) break;
      }
      // Poll fast while starting: startup time is what `npm start` waits for.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.state = 'running';
    this.ready = true;
    this.startMonitor();
  }

  /**
   * SIGTERM to the process group, then SIGKILL after the grace period; resolves on exit.
   * With `crashFor` ("failed liveness check") the exit still counts as a crash.
   */
  async stop(graceMs = STOP_GRACE_MS, crashFor?: string): Promise<void> {
    if (this.alive) {
      if (!this.stopRequested && crashFor !== undefined) this.killedFor = crashFor;
      this.stopRequested = true;
    }
    if (this.state !== 'stopped' && this.state !== 'crashed') this.state = 'stopping';
    this.ready = false;
    this.stopMonitor();
    if (!this.alive) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills without grace (tests, and the supervisor's last resort). */
  signal(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined || !this.alive) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }

  /**
   * Ends it at once for a reason that makes the exit a crash (as the kernel's out-of-memory
   * killer ends a container's process on Diego): SIGKILL to the group, restarted with backoff.
   */
  kill(reason: string): void {
    if (!this.alive || this.stopRequested) return;
    this.killedFor = reason;
    this.stopRequested = true;
    this.state = 'stopping';
    this.ready = false;
    this.stopMonitor();
    this.signal('SIGKILL');
  }

  whenExited(): Promise<void> {
    return this.exited;
  }

  describe(): string {
    return `${this.app.name} ${this.process.type} instance ${this.index}`;
  }

  private startMonitor(): void {
    const seconds = this.process.health.interval ?? this.options.checkIntervalSeconds ?? 2;
    let checking = false;
    this.monitor = setInterval(() => {
      if (checking || this.state !== 'running') return;
      checking = true;
      void (async () => {
        if (!(await probe(this.port, this.process.health))) {
          if (this.state === 'running') this.emit('unhealthy');
          return;
        }
        const result = await check(this.port, this.process.readiness);
        const ready = result.ok;
        if (this.state !== 'running') return;
        this.unreadyReason = result.reason;
        if (ready !== this.ready) {
          this.ready = ready;
          this.emit('readiness', ready);
        }
      })().finally(() => (checking = false));
    }, seconds * 1000);
    this.monitor.unref();
  }

  private stopMonitor(): void {
    if (this.monitor) clearInterval(this.monitor);
    this.monitor = undefined;
  }

  private line(line: string, stream: 'OUT' | 'ERR'): void {
    this.lastLines.push(line);
    if (this.lastLines.length > 5) this.lastLines.shift();
    this.options.log({ time: logTime(), app: this.app.name, source: this.source, stream, line });
  }

  private exitText(): string {
    return this.exit?.signal ? `signal ${this.exit.signal}` : `code ${this.exit?.code ?? '?'}`;
  }

  private lastOutput(): string {
    const last = this.lastLines.at(-1);
    return last ? `: ${last.length > 300 ? `${last.slice(0, 300)}...` : last}` : '';
  }
}
