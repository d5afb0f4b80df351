import { tokenCheckSchema, type TokenCheckSettings } from '@bundle/kit';
import type convict from 'convict';

/** What the push app needs beyond the kit's base settings (port, log level, grace...). */
export interface PushSettings extends TokenCheckSettings {
  heartbeatSeconds: number;
  maxClientBufferBytes: number;
  maxStreamsPerUser: number;
  maxStreams: number;
  maxStreamsPerAddress: number;
  maxReplayEvents: number;
  presenceRefreshSeconds: number;
  presenceOfflineGraceSeconds: number;
  presenceCooldownSeconds: number;
}

export const schema: convict.Schema<PushSettings> = {
  ...tokenCheckSchema,
  heartbeatSeconds: {
    doc: 'Seconds between comment heartbeats on idle streams (Cloud Foundry and Heroku routers cut idle connections well under a minute)',
    format: 'positive-int',
    default: 15,
    env: 'HEARTBEAT_SECONDS',
  },
  maxClientBufferBytes: {
    doc: 'Bytes a slow client may leave unsent before it is dropped (it reconnects with Last-Event-ID); bounds memory per client',
    format: 'positive-int',
    default: 65_536,
    env: 'MAX_CLIENT_BUFFER_BYTES',
  },
  maxStreamsPerUser: {
    doc: 'Event streams one user may hold open on all instances together (counted in Redis with presence); the next answers 429 with Retry-After. A person has one per open tab: 10 covers a few devices with several tabs each, and bounds what one account can pin at about 10 x 6 KB',
    format: 'positive-int',
    default: 10,
    env: 'MAX_STREAMS_PER_USER',
  },
  maxStreams: {
    doc: "Event streams one instance holds in all; the next answers 503 with Retry-After (another instance can take it). An open stream leaves node's HTTP server and costs about 5.5 KB of RSS (bench/push, apps/push/README.md): 10,000 held in a 128M memory cgroup with a peak charge of 107 MB, under 20 messages/s",
    format: 'positive-int',
    default: 10_000,
    env: 'MAX_STREAMS',
  },
  maxStreamsPerAddress: {
    doc: 'Event streams one client address (as TRUSTED_PROXY_HOPS tells it) may hold open on one instance; the next answers 429 with Retry-After. Bounds how many streams one client fills an instance with, however many accounts it has; an office behind one address shares it (100 people with a tab or two each)',
    format: 'positive-int',
    default: 200,
    env: 'MAX_STREAMS_PER_ADDRESS',
  },
  maxReplayEvents: {
    doc: 'Bus events a resuming stream (Last-Event-ID) may replay; a client further behind gets one history.reload event and reloads its history instead. Bounds what one reconnect costs: without it, Last-Event-ID 0-0 replays the whole bus (up to 100,000 entries of about 8 KB)',
    format: 'positive-int',
    default: 500,
    env: 'MAX_REPLAY_EVENTS',
  },
  presenceRefreshSeconds: {
    doc: 'Seconds between presence refreshes; an instance silent for three of them is taken for dead and its users go offline',
    format: 'positive-int',
    default: 10,
    env: 'PRESENCE_REFRESH_SECONDS',
  },
  presenceOfflineGraceSeconds: {
    doc: 'Seconds a user whose last stream closed waits before user.offline is published; a stream opened meanwhile (a reload, a reconnection to another instance) publishes nothing. 0: at once',
    format: 'whole-number',
    default: 5,
    env: 'PRESENCE_OFFLINE_GRACE_SECONDS',
  },
  presenceCooldownSeconds: {
    doc: "Seconds after a user's last user.online or user.offline before their next user.offline may be published: a user who keeps opening and closing streams writes about two presence events per cooldown to every stream, not two per grace. They show online up to this long after leaving. 0: no cooldown",
    format: 'whole-number',
    default: 30,
    env: 'PRESENCE_COOLDOWN_SECONDS',
  },
};
