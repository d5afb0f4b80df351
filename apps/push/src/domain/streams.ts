import type { ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import {
  compareStreamIds,
  currentTrace,
  runInTrace,
  ServiceUnavailableError,
  takeConnection,
  UnauthorizedError,
  type BusBatch,
  type Caller,
  type EventBus,
  type Logger,
  type TakenConnections,
} from '@bundle/kit';
import { StreamClient, type Chunk, type StreamTarget } from './client';
import type { Fanout } from './fanout';
import type { Presence } from './presence';
import { overUserLimit } from './quota';
import { formatEvent, historyReload, RETRY_LINE, STREAMED_EVENTS } from './sse';

/** History is replayed in pages of this many entries, waiting for the socket between pages. */
const REPLAY_PAGE = 500;

export interface StreamDeps {
  /** The event bus, on the client for history and presence (not the fan-out's blocking one). */
  bus: EventBus;
  fanout: Fanout;
  presence: Presence;
  maxClientBufferBytes: number;
  /** Streams one user may hold on all instances together (429 past it). */
  maxStreamsPerUser: number;
  /**
   * How many bus entries a resume may replay. A Last-Event-ID further back (0-0 reaches the
   * whole bus: 100,000 entries of up to 8 KB) gets one history.reload event instead, and the
   * client fetches the recent history from the messages app.
   */
  maxReplayEvents: number;
  /** The kit's set of long-lived responses, ended when the process drains. */
  streams: Set<() => void>;
  /** The kit's set of connections taken from its HTTP server, cut when the drain's grace is over. */
  connections: TakenConnections;
  logger: Logger;
}

/**
 * A stream's body ends when its connection does (HTTP/1.1 allows a body delimited by the
 * close), so nothing is written in chunked framing: each write is the frames alone. Chunk
 * framing cost a size line and two more buffers per write, for every client of every
 * event: without it the fan-out's latency halved (bench/push). A stream never shares its
 * connection anyway: when it ends, the socket closes and the client reconnects.
 */
export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  // nginx-style proxies buffer responses unless told not to.
  'X-Accel-Buffering': 'no',
  Connection: 'close',
};

const INVALID_TOKEN = 'Bearer error="invalid_token"';

let warnedNotTaken = false;
/** Once per process: a runtime whose HTTP server keeps its streams needs a lower MAX_STREAMS. */
function warnNotTaken(logger: Logger): void {
  if (warnedNotTaken) return;
  warnedNotTaken = true;
  logger.warn(
    "this runtime's HTTP server kept an open stream (it could not be taken over): each costs about 15 KB more, so MAX_STREAMS may not fit the instance's memory",
  );
}
const revokedError = (): UnauthorizedError => new UnauthorizedError('the token has been revoked', INVALID_TOKEN);

/**
 * Where a StreamClient writes: the response until its head is written, then the socket
 * itself, taken from node's HTTP server (takeConnection) so that an open stream keeps
 * neither the request, the response, the Koa context nor the server's parser. A class,
 * not an object literal of closures: that literal was kept in dictionary mode, about
 * 700 bytes a stream against 32 for this (heap snapshots, apps/push/README.md).
 */
class StreamConnection implements StreamTarget {
  private out: ServerResponse | Socket;

  constructor(res: ServerResponse) {
    this.out = res;
  }

  /** From now on the stream writes to the socket; the response is let go. */
  takeOver(socket: Socket): void {
    this.out = socket;
  }

  write(chunk: Chunk): boolean {
    return this.out.write(chunk);
  }

  get writableLength(): number {
    return this.out.writableLength;
  }

  /** Ends the socket too, so the client reconnects on a new connection (to another instance). */
  end(): void {
    const out = this.out;
    if (out instanceof Socket) {
      out.end();
      return;
    }
    // Ended before its headers (its token was revoked while history was read): the
    // check after the first read answers 401 in JSON instead.
    if (!out.headersSent) return;
    const socket = out.socket;
    out.end(() => socket?.end());
  }

  destroy(): void {
    this.out.destroy();
  }

  /** Resolves when the connection can take more, or is gone. */
  drained(): Promise<void> {
    const out = this.out;
    return new Promise((resolve) => {
      if (!out.writableNeedDrain || out.destroyed) return resolve();
      const done = (): void => {
        out.off('drain', done);
        out.off('close', done);
        resolve();
      };
      out.on('drain', done);
      out.on('close', done);
    });
  }
}

/** What a stream needs from the request that opened it, beside the response. */
export interface StreamRequest {
  caller: Caller;
  lastEventId: string | undefined;
  /** For the line logged when the stream closes. */
  requestId: string;
  /** Called once when the stream has closed (gives back its quota slot). */
  onEnd?: () => void;
}

/**
 * Opens one event stream: events after `lastEventId` (or, for a fresh client, after the
 * stream's current end) and then live ones. The client registers with the fan-out
 * BEFORE history is read, and history is read up to the reader's position at that
 * moment: everything up to it comes from history, everything after it from the
 * fan-out, so nothing falls between the two and the overlap is filtered by id.
 *
 * Resolves as soon as the headers are written; the replay and the stream's life go on
 * without the request. A stream lives for hours and an instance holds thousands: the
 * request's middleware chain (Koa context, the kit's pipeline, the routers' dispatch
 * frames, their promises and closures) waiting for it to close cost about 8 KB a stream
 * (heap snapshots, apps/push/README.md), so the access line is written when the stream
 * opens and a 'stream closed' line when it ends. Redis failures before the first byte
 * reject (503 JSON).
 */
export async function openStream(deps: StreamDeps, res: ServerResponse, request: StreamRequest): Promise<void> {
  const { caller, lastEventId } = request;
  // The stream outlives its request: its close (and the offline it may cause) is still that request's doing.
  const trace = currentTrace();
  const upTo = deps.fanout.cursor;
  if (upTo === undefined) throw new ServiceUnavailableError('the event stream is starting, try again shortly');
  // Listened for from the start: the socket may close while history is read.
  let opened = false;
  let gone = false;
  const onGone = (): void => {
    if (gone) return;
    gone = true;
    if (opened) end();
  };
  res.once('close', onGone);
  // Its 'close' may have come already, while the token was checked (a client that sent its
  // request and closed its side at once).
  if (res.destroyed) onGone();
  // An id past the bus's end (the bus was emptied since, or the id is made up) would filter
  // out every event to come: such a stream starts at the end, as a fresh one does.
  const busEnd = await deps.bus.lastId();
  const from = lastEventId !== undefined && compareStreamIds(lastEventId, busEnd) <= 0 ? lastEventId : busEnd;

  const connection = new StreamConnection(res);
  const client = new StreamClient(connection, from, deps.maxClientBufferBytes);
  client.token = { jti: caller.jti, exp: caller.exp, ...(caller.kid === undefined ? {} : { kid: caller.kid }) };
  // Checked in the same tick as the client joins the fan-out: a revocation read while
  // this stream was opening is seen here, one read later reaches the client itself.
  if (deps.fanout.watch.isRevoked(caller.jti, caller.kid)) throw revokedError();
  deps.fanout.add(client);
  let first: BusBatch;
  try {
    // One entry past the cap tells a resume that reaches too far from one that does not.
    first = compareStreamIds(from, upTo) < 0 ? await deps.bus.range(from, upTo, deps.maxReplayEvents + 1) : NOTHING;
  } catch (error) {
    deps.fanout.remove(client);
    throw error;
  }
  if (client.closeReason !== undefined) {
    deps.fanout.remove(client);
    if (client.closeReason === 'expired') throw new UnauthorizedError('the token has expired', INVALID_TOKEN);
    if (client.closeReason === 'revoked') throw revokedError();
    throw new ServiceUnavailableError('the stream could not be opened, try again');
  }
  // Counted on every instance before the head is written, so the user's limit holds across
  // instances: past it, 429 in JSON like this instance's own quota.
  if (!(await deps.presence.opened(caller))) {
    deps.fanout.remove(client);
    throw overUserLimit(deps.maxStreamsPerUser);
  }

  const close = (): void => client.close('draining');
  const openedAt = performance.now();
  const end = (): void => {
    if (client.state !== 'closed') client.close('gone');
    deps.fanout.remove(client);
    deps.streams.delete(close);
    request.onEnd?.();
    deps.logger.info(
      { request_id: request.requestId, reason: client.closeReason, duration_ms: Math.round(performance.now() - openedAt) },
      'stream closed',
    );
    const closed = (): Promise<void> => deps.presence.closed(caller);
    void (trace ? runInTrace(trace, closed) : closed());
  };
  deps.streams.add(close);
  res.socket?.setTimeout(0);
  res.socket?.setNoDelay(true);
  res.socket?.setKeepAlive(true);
  res.useChunkedEncodingByDefault = false; // see SSE_HEADERS
  res.writeHead(200, SSE_HEADERS);
  res.write(RETRY_LINE);
  // The response's 'close' comes from listeners taken off the socket with it: the socket's own is listened to instead.
  // A refused connection streams from the response, as before takeConnection existed.
  const taken = takeConnection(res, deps.connections);
  if (typeof taken !== 'string') {
    connection.takeOver(taken);
    taken.once('close', onGone);
  } else if (taken === 'unsupported') warnNotTaken(deps.logger);
  opened = true;
  if (gone) {
    end();
    return;
  }
  void replay(deps, client, connection, from, upTo, first).then(
    (replayedUpTo) => client.goLive(replayedUpTo),
    (error: unknown) => {
      deps.logger.warn({ err: { message: (error as Error).message } }, 'replay failed; the client reconnects with its last id');
      client.close('error');
    },
  );
}

const NOTHING: BusBatch = { events: [], lastId: undefined };

/**
 * Writes history in pages, waiting for 'drain' so a long replay never piles up in memory.
 * A gap of more than maxReplayEvents events is not replayed at all: one history.reload event
 * instead (the first read takes one event past the cap to know), and the stream goes on
 * from upTo.
 */
async function replay(
  deps: StreamDeps,
  client: StreamClient,
  connection: StreamConnection,
  from: string,
  upTo: string,
  first: BusBatch,
): Promise<string> {
  let position = from;
  let batch = first;
  // Entries of other producers, skipped, can leave more to read after the first page: the cap holds across pages.
  let budget = deps.maxReplayEvents;
  for (;;) {
    budget -= batch.events.length;
    if (budget < 0) {
      client.send(historyReload(upTo, deps.maxReplayEvents));
      return upTo;
    }
    const streamed = batch.events.filter((event) => STREAMED_EVENTS.has(event.name));
    if (streamed.length > 0 && !client.send(streamed.map(formatEvent).join(''))) return position;
    await connection.drained();
    if (client.state === 'closed' || batch.lastId === undefined) return position;
    position = batch.lastId;
    if (compareStreamIds(position, upTo) >= 0) return position;
    batch = await deps.bus.range(position, upTo, REPLAY_PAGE);
  }
}
