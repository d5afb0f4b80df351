import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tokenCheckSchema, type TokenCheckSettings } from '@bundle/kit';
import type convict from 'convict';

/** What the web process needs beyond the kit's base settings: where to check tokens, and its bounds. */
export interface MessagesSettings extends TokenCheckSettings {
  postRateLimit: number;
  postRateWindowSeconds: number;
  retentionDays: number;
  maxLogLength: number;
}

export const schema: convict.Schema<MessagesSettings> = {
  ...tokenCheckSchema,
  postRateLimit: {
    // A person typing sends a short message every second or two, with a pasted burst now
    // and then; 20 in 10 s never stops them, while a script is held to 2/s instead of ~870/s.
    doc: 'Messages one user may post per window (POST_RATE_WINDOW_SECONDS); past it 429 with Retry-After',
    format: 'positive-int',
    default: 20,
    env: 'POST_RATE_LIMIT',
  },
  postRateWindowSeconds: {
    doc: 'The window POST_RATE_LIMIT counts over, in seconds',
    format: 'positive-int',
    default: 10,
    env: 'POST_RATE_WINDOW_SECONDS',
  },
  retentionDays: {
    doc: 'Messages older than this many days are removed from the log as new ones are posted (history paging then starts at the oldest kept)',
    format: 'positive-int',
    default: 30,
    env: 'MESSAGES_RETENTION_DAYS',
  },
  maxLogLength: {
    // Bounds the log's memory whatever the rate: 100,000 messages of at most 2000
    // characters stay under ~1 GB even if every one were full, ~30 MB at chat lengths.
    doc: 'The most messages the log keeps; the oldest go first once it is full',
    format: 'positive-int',
    default: 100_000,
    env: 'MESSAGES_MAX_LENGTH',
  },
};

/** What the worker process needs: how it consumes the bus and relays the outbox. */
export interface WorkerSettings {
  claimMinIdleMs: number;
  blockMs: number;
  batchSize: number;
  doneTtlSeconds: number;
  outboxGraceMs: number;
  outboxIntervalMs: number;
  pruneIdleMs: number;
  maxMentions: number;
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
  outboxIntervalMs: {
    doc: 'How often the worker looks for unpublished messages',
    format: 'positive-int',
    default: 5000,
    env: 'OUTBOX_INTERVAL_MS',
  },
  pruneIdleMs: {
    doc: 'Consumers of the group idle this long with nothing pending (left by earlier processes) are removed; also how often that is checked',
    format: 'positive-int',
    default: 3_600_000,
    env: 'WORKER_PRUNE_IDLE_MS',
  },
  maxMentions: {
    // A message naming more people than this is a broadcast, not a mention; the cap bounds
    // what one message can cost (one counter per known nickname it names).
    doc: 'Distinct @nicknames counted per message (the first ones in the text)',
    format: 'positive-int',
    default: 20,
    env: 'MAX_MENTIONS_PER_MESSAGE',
  },
};

/** The version in this app's package.json (one directory above both src/ and dist/). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}
