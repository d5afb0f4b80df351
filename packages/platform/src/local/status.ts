import type { PostgresStatus } from './postgres';
import { readFileSync } from 'node:fs';
import type { AppSpec } from '../manifest/types';
import type { ExitRecord } from './backoff';
import { MB } from './memory';
import type { RedisStatus } from './redis';
import { pingRedis } from './redis-ping';
import type { Space } from './space';

/** An instance at or above this share of its memory quota is shown as near it. */
export const NEAR_QUOTA = 0.9;

export interface InstanceStatus {
  index: number;
  state: string;
  ready: boolean;
  port: number;
  pid: number | undefined;
  version: string;
  since: string;
  memory_mb: number | undefined;
  memory_quota_mb: number;
  restarts: number;
  /** Crashes counted towards the restart backoff (two or more: a crash loop). */
  crashes: number;
  /** What its readiness check answered when it failed ("users-db: error: ..."). */
  unready_reason?: string;
  /** How the previous instance in this position ended. */
  last_exit?: ExitRecord;
  /** A restart waiting: "restarting in 2 s (crash 3)". */
  next?: string;
}

export interface SpaceStatus {
  space: string;
  url: string;
  router_port: number;
  supervisor_pid: number;
  redis: string;
  /** The space's private redis-server, supervised; absent with REDIS_URL. */
  redis_server?: RedisStatus;
  /** With REDIS_URL: whether it answers a PING now ("answers", "not answering (...)"). */
  redis_check?: string;
  /** How the space's PostgreSQL services are provided (absent when none is bound). */
  postgres?: string;
  /** The space's private PostgreSQL, supervised; absent with POSTGRES_URL. */
  postgres_server?: PostgresStatus;
  /** The supervisor's console, its token in the fragment (console/space-console.ts). */
  console?: string;
  started_at: string;
  pushing: boolean;
  apps: Array<{
    name: string;
    routes: string[];
    /** Each internal route and the 127.0.0.1 address it resolves to in this space. */
    internal_addresses?: Record<string, string>;
    processes: Array<{ type: string; instances: number; running: number; details: InstanceStatus[] }>;
  }>;
}

/** What `cf apps` and `cf app` show, for every app of a running space. */
export function spaceStatus(space: Space): SpaceStatus {
  const apps = (space.manifest?.apps ?? []).map((app) => ({
    name: app.name,
    routes: app.routes.map((route) => route.route),
    ...internalAddressesOf(app, space.internalAddresses),
    processes: app.processes.map((process) => {
      const details = [...space.slots.values()]
        .filter((slot) => slot.app.name === app.name && slot.process.type === process.type)
        .sort((a, b) => a.index - b.index)
        .map((slot): InstanceStatus => {
          const instance = slot.instance;
          const sampled = instance.alive && instance.memoryBytes !== undefined ? Math.round(instance.memoryBytes / MB) : undefined;
          return {
            index: slot.index,
            state: instance.state,
            ready: instance.ready,
            port: instance.port,
            pid: instance.alive ? instance.pid : undefined,
            version: instance.version,
            since: new Date(instance.startedAt).toISOString(),
            memory_mb: sampled ?? residentMb(instance.alive ? instance.pid : undefined),
            memory_quota_mb: slot.process.memoryMb,
            restarts: slot.restarts,
            crashes: slot.crashes,
            ...(instance.alive && !instance.ready && instance.unreadyReason ? { unready_reason: instance.unreadyReason } : {}),
            ...(slot.lastExit ? { last_exit: slot.lastExit } : {}),
            ...(slot.next && !instance.alive ? { next: slot.next } : {}),
          };
        });
      return {
        type: process.type,
        instances: process.instances,
        running: details.filter((detail) => detail.state === 'running').length,
        details,
      };
    }),
  }));
  return {
    space: space.name,
    url: space.url,
    router_port: space.router?.port ?? 0,
    supervisor_pid: process.pid,
    redis: space.provisioned?.redis ?? '',
    ...(space.provisioned?.privateRedis ? { redis_server: space.provisioned.privateRedis.status() } : {}),
    ...(space.provisioned?.postgres ? { postgres: space.provisioned.postgres } : {}),
    ...(space.provisioned?.privatePostgres ? { postgres_server: space.provisioned.privatePostgres.status() } : {}),
    ...(space.consoleUrl ? { console: space.consoleUrl } : {}),
    started_at: new Date(space.startedAt).toISOString(),
    pushing: space.pushing,
    apps,
  };
}

/** The status with what is checked when asked: whether the REDIS_URL Redis answers. */
export async function checkedSpaceStatus(space: Space): Promise<SpaceStatus> {
  const status = spaceStatus(space);
  const url = space.provisioned?.externalRedisUrl;
  return url ? { ...status, redis_check: await pingRedis(url) } : status;
}

/** Resident memory of a process from /proc (Linux); undefined elsewhere. */
function residentMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return Math.round((pages * 4096) / (1024 * 1024));
  } catch {
    return undefined;
  }
}

/** Where each internal route of the app resolves in the space, so a caller's address can be checked by hand. */
function internalAddressesOf(app: AppSpec, addresses: ReadonlyMap<string, number>): { internal_addresses?: Record<string, string> } {
  const entries = app.routes
    .filter((route) => route.internal && addresses.has(route.host))
    .map((route) => [route.route, `127.0.0.1:${addresses.get(route.host)}`]);
  return entries.length > 0 ? { internal_addresses: Object.fromEntries(entries) } : {};
}

/** `cf apps` then `cf app` for each app, as text; under an instance, what needs a look. */
export function formatStatus(status: SpaceStatus): string {
  const lines = [
    `space ${status.space}: ${status.url} (supervisor pid ${status.supervisor_pid}, since ${status.started_at})${status.pushing ? ', push in progress' : ''}`,
    `redis: ${status.redis}`,
  ];
  if (status.redis_server) lines.push(`       ${redisLine(status.redis_server)}`);
  if (status.redis_check) lines.push(`       ${status.redis_check.replace(/^not answering/, 'NOT ANSWERING')}`);
  if (status.postgres) lines.push(`postgres: ${status.postgres}`);
  // The same supervision fields as the private Redis: the one formatting serves both.
  if (status.postgres_server) lines.push(`          ${redisLine(status.postgres_server)}`);
  if (status.console) lines.push(`console: ${status.console}`);
  lines.push('');
  const row = (cells: string[], widths: number[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const appWidths = [10, 28, 0];
  lines.push(row(['name', 'processes', 'routes'], appWidths));
  for (const app of status.apps) {
    lines.push(
      row(
        [
          app.name,
          app.processes.map((process) => `${process.type}:${process.running}/${process.instances}`).join(', '),
          app.routes.map((route) => (app.internal_addresses?.[route] ? `${route} (${app.internal_addresses[route]})` : route)).join(', '),
        ],
        appWidths,
      ),
    );
  }
  const widths = [4, 9, 6, 6, 8, 14, 12, 8, 0];
  for (const app of status.apps) {
    for (const process of app.processes) {
      lines.push(
        '',
        `${app.name} ${process.type}`,
        row(['', 'state', 'ready', 'port', 'pid', 'memory', 'version', 'restarts', 'since'], widths),
      );
      for (const detail of process.details) {
        const memory = `${detail.memory_mb ?? '?'}M of ${detail.memory_quota_mb}M`;
        lines.push(
          row(
            [
              `#${detail.index}`,
              detail.state,
              detail.ready ? 'yes' : 'no',
              String(detail.port),
              String(detail.pid ?? '-'),
              memory,
              detail.version,
              String(detail.restarts),
              detail.since,
            ],
            widths,
          ),
        );
        for (const note of instanceNotes(detail)) lines.push(`      ! ${note}`);
      }
    }
  }
  return lines.join('\n');
}

/** What about an instance needs a look: why it is not ready, a crash loop, memory near the quota. */
export function instanceNotes(detail: InstanceStatus): string[] {
  const notes: string[] = [];
  if (detail.unready_reason) notes.push(`not ready: ${detail.unready_reason}`);
  if (detail.crashes >= 2 && detail.last_exit)
    notes.push(`crash loop: crash ${detail.crashes}, last exit ${exitText(detail.last_exit)}${detail.next ? `; ${detail.next}` : ''}`);
  else if (detail.last_exit?.reason === 'CRASHED')
    notes.push(`last exit ${exitText(detail.last_exit)}${detail.next ? `; ${detail.next}` : ''}`);
  if (detail.memory_mb !== undefined && detail.memory_mb >= detail.memory_quota_mb * NEAR_QUOTA) {
    notes.push(
      `memory ${detail.memory_mb}M is ${Math.round((detail.memory_mb / detail.memory_quota_mb) * 100)}% of its ${detail.memory_quota_mb}M quota`,
    );
  }
  return notes;
}

function exitText(exit: ExitRecord): string {
  return `${exit.reason} (${exit.description}, exit_status ${exit.exit_status}) at ${exit.at}`;
}

function redisLine(redis: RedisStatus | PostgresStatus): string {
  const state = redis.state === 'down' ? 'DOWN' : redis.state;
  const parts = [`${state}${redis.pid !== undefined ? ` (pid ${redis.pid})` : ''} since ${redis.since}`, `restarts ${redis.restarts}`];
  if (redis.last_exit) parts.push(`last exit ${exitText(redis.last_exit)}`);
  if (redis.next) parts.push(redis.next);
  return parts.join(', ');
}
