import { readFileSync } from 'node:fs';
import type { Space } from './space';

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
}

export interface SpaceStatus {
  space: string;
  url: string;
  router_port: number;
  supervisor_pid: number;
  redis: string;
  started_at: string;
  pushing: boolean;
  apps: Array<{
    name: string;
    routes: string[];
    processes: Array<{ type: string; instances: number; running: number; details: InstanceStatus[] }>;
  }>;
}

/** What `cf apps` and `cf app` show, for every app of a running space. */
export function spaceStatus(space: Space): SpaceStatus {
  const apps = (space.manifest?.apps ?? []).map((app) => ({
    name: app.name,
    routes: app.routes.map((route) => route.route),
    processes: app.processes.map((process) => {
      const details = [...space.slots.values()]
        .filter((slot) => slot.app.name === app.name && slot.process.type === process.type)
        .sort((a, b) => a.index - b.index)
        .map((slot): InstanceStatus => {
          const instance = slot.instance;
          return {
            index: slot.index,
            state: instance.state,
            ready: instance.ready,
            port: instance.port,
            pid: instance.pid,
            version: instance.version,
            since: new Date(instance.startedAt).toISOString(),
            memory_mb: residentMb(instance.pid),
            memory_quota_mb: slot.process.memoryMb,
            restarts: slot.restarts,
          };
        });
      return { type: process.type, instances: process.instances, running: details.filter((detail) => detail.state === 'running').length, details };
    }),
  }));
  return {
    space: space.name,
    url: space.url,
    router_port: space.router?.port ?? 0,
    supervisor_pid: process.pid,
    redis: space.provisioned?.redis ?? '',
    started_at: new Date(space.startedAt).toISOString(),
    pushing: space.pushing,
    apps,
  };
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

/** `cf apps` then `cf app` for each app, as text. */
export function formatStatus(status: SpaceStatus): string {
  const lines = [`space ${status.space}: ${status.url} (supervisor pid ${status.supervisor_pid}, since ${status.started_at})${status.pushing ? ', push in progress' : ''}`, `redis: ${status.redis}`, ''];
  const row = (cells: string[], widths: number[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const appWidths = [10, 28, 0];
  lines.push(row(['name', 'processes', 'routes'], appWidths));
  for (const app of status.apps) {
    lines.push(row([app.name, app.processes.map((process) => `${process.type}:${process.running}/${process.instances}`).join(', '), app.routes.join(', ')], appWidths));
  }
  const widths = [4, 9, 6, 6, 8, 14, 12, 8, 0];
  for (const app of status.apps) {
    for (const process of app.processes) {
      lines.push('', `${app.name} ${process.type}`, row(['', 'state', 'ready', 'port', 'pid', 'memory', 'version', 'restarts', 'since'], widths));
      for (const detail of process.details) {
        const memory = `${detail.memory_mb ?? '?'}M of ${detail.memory_quota_mb}M`;
        lines.push(row([`#${detail.index}`, detail.state, detail.ready ? 'yes' : 'no', String(detail.port), String(detail.pid ?? '-'), memory, detail.version, String(detail.restarts), detail.since], widths));
      }
    }
  }
  return lines.join('\n');
}
