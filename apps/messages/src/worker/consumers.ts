import type { Redis } from '@bundle/kit';

/**
 * Each worker process joins the group under a name of its own (instance, host, pid), so
 * every restart leaves a consumer entry behind. Entries idle for longer than idleMs that
 * hold nothing pending are removed; deleting a live one by mistake is harmless, as Redis
 * recreates it on its next read. The caller itself is kept. Returns the names removed.
 */
export async function pruneIdleConsumers(busRedis: Redis, stream: string, group: string, idleMs: number, self: string): Promise<string[]> {
  const consumers = (await busRedis.xinfo('CONSUMERS', stream, group)) as unknown[][];
  const removed: string[] = [];
  for (const fields of consumers) {
    const info: Record<string, unknown> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) info[String(fields[i])] = fields[i + 1];
    if (Number(info.pending) === 0 && Number(info.idle) >= idleMs && typeof info.name === 'string' && info.name !== self) {
      // DELCONSUMER drops the consumer's pending entries too; it is asked only of those with none.
      await busRedis.xgroup('DELCONSUMER', stream, group, info.name);
      removed.push(info.name);
    }
  }
  return removed;
}
