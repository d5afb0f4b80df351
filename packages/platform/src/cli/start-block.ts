import { relative } from 'node:path';
import type { Space } from '../local/space';

/**
 * What `scripts/start` prints once everything is ready: the block a person comes back to
 * (the terminal stays quiet after it, probes are not logged). Its lines start with two
 * spaces, so `--detach` finds them in the supervisor's log. A detached supervisor has no
 * terminal to press Ctrl-C in: its block names scripts/stop alone.
 */
export function startBlock(space: Space, root: string, seconds: number, options: { detached?: boolean } = {}): string[] {
  const apps = (space.manifest?.apps ?? []).map((app) => {
    const counts = app.processes.map((process) => `${process.instances}${process.type === 'web' ? '' : ` ${process.type}`}`);
    return `${app.name} ${counts.join(' + ')}`;
  });
  const name = space.name;
  const rows: Array<[string, string]> = [
    ['url', space.url],
    ['apps', `${apps.join(', ')} (${space.slots.size} instances)`],
    ['redis', space.provisioned?.redis ?? 'none'],
    ...(space.provisioned?.privatePostgres || space.provisioned?.postgres?.startsWith('POSTGRES_URL')
      ? ([['postgres', space.provisioned.postgres ?? '']] as Array<[string, string]>)
      : []),
    ['data', relative(root, space.dataDir) || space.dataDir],
    // The console's token is in the fragment, which the browser keeps to itself.
    ...(space.consoleUrl ? ([['console', space.consoleUrl]] as Array<[string, string]>) : []),
    ['stop', options.detached ? `scripts/stop ${name}` : `Ctrl-C here, or scripts/stop ${name}`],
    ['logs', `scripts/logs ${name} [app] [--request <X-Request-Id>] [--level warn] [--since 10m]`],
    ['status', `scripts/status ${name}`],
    ['trace', `scripts/trace ${name} <X-Request-Id|trace-id>`],
  ];
  // Keys in a column of 8, wider only when a key needs it (postgres).
  const width = Math.max(8, ...rows.map(([key]) => key.length + 1));
  return [`start: space ${name} is up in ${seconds.toFixed(1)} s`, ...rows.map(([key, value]) => `  ${key.padEnd(width)}${value}`), ''];
}
