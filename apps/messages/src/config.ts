import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tokenCheckSchema, type TokenCheckSettings } from '@bundle/kit';
import type convict from 'convict';

/** What the web process needs beyond the kit's base settings: where to check tokens. */
export type MessagesSettings = TokenCheckSettings;

export const schema: convict.Schema<MessagesSettings> = tokenCheckSchema;

/** What the worker process needs: how it consumes the bus and relays the outbox. */
export interface WorkerSettings {
  claimMinIdleMs: number;
  blockMs: number;
  batchSize: number;
  doneTtlSeconds: number;
  outboxGraceMs: number;
  outboxIntervalMs: number;
  pruneIdleMs: number;
}

export const workerSchema: convict.Schema<WorkerSettings> = {
  claimMinIdleMs: {
    doc: 'How long an event may sit unacknowledged with another consumer before this worker takes it over (that consumer is presumed dead)',
    format: 'positive-int',
    default: 30_000,
    env: 'WORKER_CLAIM_MIN_IDLE_MS',
  },
  blockMs: {
    doc: 'How long one read of the bus waits for new events; SIGTERM waits at most this long for the read to return',
    format: 'positive-int',
    default: 2000,
    env: 'WORKER_BLOCK_MS',
  },
  batchSize: { doc: 'Events read from the bus at once', format: 'positive-int', default: 100, env: 'WORKER_BATCH_SIZE' },
  doneTtlSeconds: {
    doc: 'How long a counted message is remembered, so a redelivered event is not counted twice',
    format: 'positive-int',
    default: 7 * 24 * 3600,
    env: 'WORKER_DONE_TTL_SECONDS',
  },
  outboxGraceMs: {
    doc: 'How old an unpublished message must be before the worker publishes it (the web request normally does so at once)',
    format: 'positive-int',
    default: 10_000,
    env: 'OUTBOX_GRACE_MS',
  },
  outboxIntervalMs: { doc: 'How often the worker looks for unpublished messages', format: 'positive-int', default: 5000, env: 'OUTBOX_INTERVAL_MS' },
  pruneIdleMs: {
    doc: 'Consumers of the group idle this long with nothing pending (left by earlier processes) are removed; also how often that is checked',
    format: 'positive-int',
    default: 3_600_000,
    env: 'WORKER_PRUNE_IDLE_MS',
  },
};

/** The version in this app's package.json (one directory above both src/ and dist/). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}
