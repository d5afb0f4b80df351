import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** One process to run in the group: a Node script with its whole environment. */
export interface ProcessSpec {
  name: string;
  script: string;
  env: Record<string, string>;
}

/** What the test knows about one member: its output so far, line by line, and how it ended. */
export interface Member {
  spec: ProcessSpec;
  /** The port it said it listens on (the kit's "listening" line): an app binds PORT=0 itself, so no two can be given one port. */
  port?: number;
  stdout: string[];
  stderr: string[];
  pid?: number;
  exit?: { code: number | null; signal: string | null };
}

const LEADER = join(__dirname, 'group-leader.js');

/**
 * Node processes run in one process group under a small leader (group-leader.js), so
 * stop() reaches every member with one signal, and the leader stops them all by itself
 * if the test process dies. Every line each member writes is kept for the assertions and
 * for tails() when something fails.
 */
export class ProcessGroup {
  readonly members = new Map<string, Member>();
  private readonly leader: ChildProcess;
  private readonly closed: Promise<unknown>;

  private readonly order: string[];
  private readonly portWaiters = new Map<string, Array<(port: number) => void>>();

  /** The group of these names; each starts when start() is called for it. */
  constructor(names: string[], cwd: string) {
    this.order = names;
    const pipes = names.flatMap(() => ['pipe', 'pipe'] as const);
    this.leader = spawn(process.execPath, [LEADER], { cwd, detached: true, stdio: ['pipe', 'pipe', 'pipe', ...pipes] });
    this.closed = once(this.leader, 'close');
    names.forEach((name, index) => {
      const member: Member = { spec: { name, script: '', env: {} }, stdout: [], stderr: [] };
      this.members.set(name, member);
      collectLines(this.leader.stdio[3 + 2 * index] as Readable, member.stdout, (line) => this.onOutput(member, line));
      collectLines(this.leader.stdio[4 + 2 * index] as Readable, member.stderr);
    });
    const reports: string[] = [];
    collectLines(this.leader.stdout as Readable, reports, (line) => this.onReport(line));
    const leaderErrors: string[] = [];
    collectLines(this.leader.stderr as Readable, leaderErrors, (line) => process.stderr.write(`process group: ${line}\n`));
    this.leader.stdin?.write(`${JSON.stringify({ apps: names.length })}\n`);
  }

  /** Starts one member of the group. */
  start(spec: ProcessSpec): void {
    const index = this.order.indexOf(spec.name);
    if (index === -1) throw new Error(`no process named ${spec.name}`);
    this.member(spec.name).spec = spec;
    this.leader.stdin?.write(`${JSON.stringify({ index, ...spec })}\n`);
  }

  /** Resolves with the port the member reports listening on; rejects when it exits first. */
  async listening(name: string): Promise<number> {
    const member = this.member(name);
    if (member.port !== undefined) return member.port;
    const exited = new Promise<never>((_resolve, reject) => {
      const check = setInterval(() => {
        if (!member.exit) return;
        clearInterval(check);
        reject(new Error(`${name} exited (${member.exit.code ?? member.exit.signal}) before it listened\n${this.tails()}`));
      }, 50);
      void this.portOf(name).then(() => clearInterval(check));
    });
    return Promise.race([this.portOf(name), exited]);
  }

  private portOf(name: string): Promise<number> {
    const member = this.member(name);
    if (member.port !== undefined) return Promise.resolve(member.port);
    return new Promise((resolve) => this.portWaiters.set(name, [...(this.portWaiters.get(name) ?? []), resolve]));
  }

  /** The kit logs {"msg":"listening","port":N} once its server is bound. */
  private onOutput(member: Member, line: string): void {
    if (member.port !== undefined || !line.includes('"listening"')) return;
    try {
      const record = JSON.parse(line) as { msg?: string; port?: number };
      if (record.msg !== 'listening' || typeof record.port !== 'number') return;
      member.port = record.port;
      for (const resolve of this.portWaiters.get(member.spec.name) ?? []) resolve(record.port);
      this.portWaiters.delete(member.spec.name);
    } catch {
      // not a JSON line
    }
  }

  /** The group's id (the leader's pid): `ps -o pid,pgid,cmd -g <id>` lists the members. */
  get id(): number {
    return this.leader.pid ?? 0;
  }

  member(name: string): Member {
    const member = this.members.get(name);
    if (!member) throw new Error(`no process named ${name}`);
    return member;
  }

  /** Polls GET /ready until it answers 200: bounded attempts, a short pause between them. */
  async waitReady(name: string, attempts = 300, intervalMs = 100): Promise<void> {
    const member = this.member(name);
    let last = 'no answer';
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      if (member.exit) throw new Error(`${name} exited (${member.exit.code ?? member.exit.signal}) before it was ready\n${this.tails()}`);
      try {
        const response = await fetch(`http://127.0.0.1:${await this.listening(name)}/ready`);
        last = `${response.status} ${await response.text()}`;
        if (response.status === 200) return;
      } catch (error) {
        last = (error as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    throw new Error(`${name} not ready after ${attempts} attempts (last: ${last})\n${this.tails()}`);
  }

  /** True while any process of the group is alive (signal 0 only asks). */
  alive(): boolean {
    try {
      process.kill(-this.id, 0);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * SIGTERM to the whole group; once every member has exited (or after graceMs, with
   * SIGKILL to whatever is left) the leader exits and every pipe is drained.
   */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.id) return;
    // No more members will start: the leader exits once those it started have.
    const started = [...this.members.values()].filter((member) => member.spec.script !== '').length;
    this.leader.stdin?.write(`${JSON.stringify({ apps: started })}\n`);
    if (this.alive()) this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    try {
      await this.closed;
    } finally {
      clearTimeout(timer);
    }
    // A member that outlived the leader would still hold the group: never leave one behind.
    if (this.alive()) this.signal('SIGKILL');
  }

  /** The last lines of every member's output, for failure messages. */
  tails(lines = 25): string {
    return [...this.members.values()]
      .map((member) => {
        const tail = [...member.stdout.map((line) => `  out| ${line}`), ...member.stderr.map((line) => `  err| ${line}`)].slice(-lines);
        const status = member.exit ? `exited ${member.exit.code ?? member.exit.signal}` : 'running';
        return `--- ${member.spec.name} (port ${member.port ?? '-'}, ${status}) ---\n${tail.join('\n')}`;
      })
      .join('\n');
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.id, signal);
    } catch {
      // ESRCH: nothing left in the group
    }
  }

  private onReport(line: string): void {
    const report = JSON.parse(line) as {
      event: string;
      name: string;
      pid?: number;
      code?: number | null;
      signal?: string | null;
      message?: string;
    };
    const member = this.members.get(report.name);
    if (!member) return;
    if (report.event === 'spawn') member.pid = report.pid;
    if (report.event === 'exit') member.exit = { code: report.code ?? null, signal: report.signal ?? null };
    if (report.event === 'error') member.stderr.push(`spawn failed: ${report.message}`);
  }
}

/** Splits a stream into lines (a line may arrive in several chunks); the last one on end. */
function collectLines(stream: Readable, into: string[], onLine?: (line: string) => void): void {
  let partial = '';
  const add = (line: string): void => {
    into.push(line);
    onLine?.(line);
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) add(line);
  });
  stream.on('end', () => {
    if (partial !== '') add(partial);
    partial = '';
  });
}
