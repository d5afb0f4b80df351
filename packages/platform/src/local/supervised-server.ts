import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { PlatformError } from '../manifest/errors';
import { nextRestart, restartText, type ExitRecord } from './backoff';
import { lineSplitter, logTime, type LogRecord } from './logs';

export type ServerState = 'starting' | 'running' | 'down' | 'stopped';

/** What `scripts/status` shows of a space's own server, besides where it listens. */
export interface ServerStatus {
  state: ServerState;
  pid: number | undefined;
  data_dir: string;
  /** Restarts after it exited without being asked to. */
  restarts: number;
  since: string;
  last_exit?: ExitRecord;
  /** When it is down: "restarting in 2 s (crash 3)". */
  next?: string;
}

/** How one kind of server is started, known ready, asked to stop, and heard on its way out. */
export interface ServerLaunch {
  /** Its name in the space's lines: "redis-server", "postgres". */
  name: string;
  /** The app its lines are logged under: "redis", "postgres". */
  app: string;
  command: string;
  args: string[];
  options?: SpawnOptions;
  /** The line it prints once it accepts connections. */
  readyLine: string;
  /** The signal it stops cleanly on (its data kept). */
  stopSignal: NodeJS.Signals;
  /** The one line when the command is not there. */
  notInstalled: string;
  /** Why it exited, from its last lines, when it said. */
  why(last: string[]): string | undefined;
}

/**
 * A backing server a space runs for itself (its Redis, its PostgreSQL), on a port and data
 * folder of its own. Supervised like an instance: when it exits without being asked to (a
 * shutdown command, a crash, a kill), it is started again on the same port and data (the
 * instances' bindings name that port), at once and then with the instances' backoff. Emits
 * 'down' when it exited so, and 'restarted' (its pid changed) once it accepts connections
 * again. Its own lines stay out of the space's log (a banner at every start); the last ones
 * say why it exited.
 */
export abstract class SupervisedServer extends EventEmitter {
  state: ServerState = 'starting';
  restarts = 0;
  since = Date.now();
  lastExit: ExitRecord | undefined;
  next: string | undefined;
  private child: ChildProcess | undefined;
  /** How the running process was started (its stop signal). */
  private launched: ServerLaunch | undefined;
  private exited: Promise<void> = Promise.resolve();
  private crashes = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  /** Started once: from then on an exit is restarted (a first start that fails is the caller's error). */
  private supervised = false;

  protected constructor(
    readonly dir: string,
    readonly port: number,
    private readonly log: (record: LogRecord) => void,
  ) {
    super();
  }

  /** How to start it, asked at every start (a config file may be written then). */
  protected abstract launch(): ServerLaunch;

  /** The first start: resolves once it accepts connections; rejects with one line when it cannot start. */
  protected async firstStart(): Promise<void> {
    await this.spawn();
    this.supervised = true;
  }

  get pid(): number | undefined {
    return this.state === 'running' || this.state === 'starting' ? this.child?.pid : undefined;
  }

  /** The status, with where it listens (`where`) second, as `scripts/status --json` has always shown it. */
  protected statusWith<K extends string>(key: K, where: string): ServerStatus & Record<K, string> {
    const { state, pid, dir, restarts, since, lastExit, next } = this;
    return {
      state,
      [key]: where,
      pid,
      data_dir: dir,
      restarts,
      since: new Date(since).toISOString(),
      ...(lastExit ? { last_exit: lastExit } : {}),
      ...(state === 'down' && next ? { next } : {}),
    } as ServerStatus & Record<K, string>;
  }

  /** Its clean stop (data kept); no restart after it. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill(this.launched?.stopSignal);
    await this.exited;
    this.state = 'stopped';
  }

  private spawn(): Promise<void> {
    const launch = this.launch();
    this.launched = launch;
    // Its own process group: a terminal's Ctrl-C goes to the supervisor, which stops it last.
    // In its data folder: a later start can tell a server this space left from another program (control.ts leftovers).
    const child = spawn(launch.command, launch.args, {
      cwd: this.dir,
      ...launch.options,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    this.state = 'starting';
    this.since = Date.now();
    this.exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      const last: string[] = [];
      const onLine = (line: string): void => {
        last.push(line);
        if (last.length > 5) last.shift();
        if (!ready && line.includes(launch.readyLine)) {
          ready = true;
          this.state = 'running';
          resolve();
        }
      };
      for (const stream of [child.stdout, child.stderr]) {
        const splitter = lineSplitter(onLine);
        stream?.on('data', (chunk: Buffer) => splitter.push(chunk));
      }
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new PlatformError(launch.notInstalled) : error),
      );
      child.once('exit', (code, signal) => {
        if (!ready) reject(new PlatformError(`${launch.name} exited with ${code ?? signal} before it was ready: ${last.at(-1) ?? ''}`));
        this.onExit(launch, code, signal, launch.why(last));
      });
    });
  }

  /** Any exit the supervisor did not ask for is a crash: the instances cannot do without it. */
  private onExit(launch: ServerLaunch, code: number | null, signal: NodeJS.Signals | null, said: string | undefined): void {
    if (this.stopping || !this.supervised) return;
    this.state = 'down';
    const status = code ?? signal ?? '?';
    this.lastExit = { reason: 'CRASHED', description: said ?? 'exited', exit_status: status, at: new Date().toISOString() };
    const { crashes, delayMs: delay } = nextRestart(this.crashes, this.since);
    this.crashes = crashes;
    this.next = restartText(delay, crashes);
    this.event(launch, `${launch.name} exited (reason: CRASHED, exit_status: ${status}${said ? `, ${said}` : ''}); ${this.next}`, 'ERR');
    this.emit('down');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.stopping) return;
      this.spawn().then(
        () => {
          this.restarts += 1;
          this.event(
            launch,
            `${launch.name} restarted and ready on port ${this.port} (restart ${this.restarts}, data in ${this.dir})`,
            'OUT',
          );
          this.emit('restarted');
        },
        // It exited before it was ready: onExit has counted that crash and set the next try.
        () => undefined,
      );
    }, delay);
  }

  private event(launch: ServerLaunch, line: string, stream: 'OUT' | 'ERR'): void {
    this.log({ time: logTime(), app: launch.app, source: 'API/0', stream, line });
  }
}
