import { compareStreamIds, type BusEvent } from '@bundle/kit';
import { formatEvent } from './sse';

/** What a stream writes: a live batch is one Buffer shared by every stream (see fanout). */
export type Chunk = string | Buffer;

/** The part of a ServerResponse a stream writes to (a fake in unit tests). */
export interface StreamTarget {
  write(chunk: Chunk): boolean;
  readonly writableLength: number;
  end(): void;
  destroy(): void;
}

/** Live events held for a client while it replays history; past this it is dropped. */
export const MAX_PENDING_EVENTS = 10_000;

/** Why a stream ended: `revoked` and `expired` are its token's doing (see token-watch.ts). */
export type CloseReason = 'slow' | 'draining' | 'gone' | 'error' | 'revoked' | 'expired';

/** The token a stream was opened with: it ends when that token is revoked or expires, or its key is retired. */
export interface StreamToken {
  jti: string;
  /** Seconds since the epoch. */
  exp: number;
  /** The signing key's id: the stream ends when that key is retired. */
  kid?: string;
}

/**
 * One open event stream. It starts `catching-up`: live events are held while history
 * is written, then those after the last replayed id are written and it turns `live`, so
 * the seam between replay and live has no gap and no duplicate. A client whose unsent
 * bytes pass the bound (its socket is full) is dropped rather than buffered: it
 * reconnects with Last-Event-ID and replays what it missed.
 */
export class StreamClient {
  state: 'catching-up' | 'live' | 'closed' = 'catching-up';
  /** Events up to this id have been written (or were never for this client). */
  after: string;
  closeReason: CloseReason | undefined;
  /** Set when the stream is opened for a caller; undefined only in unit tests. */
  token: StreamToken | undefined;
  private pending: BusEvent[] = [];
  /** Until a batch passes `after`, batches may hold events this client already has. */
  private filtering = true;

  constructor(
    private readonly target: StreamTarget,
    after: string,
    private readonly maxBufferBytes: number,
    private readonly onClose: (client: StreamClient) => void = () => undefined,
  ) {
    this.after = after;
  }

  /**
   * Writes a chunk; false when the client is gone or was just dropped for being slow.
   * While catching up the replay waits for 'drain' itself, so the bound applies to live writes.
   */
  send(chunk: Chunk): boolean {
    if (this.state === 'closed') return false;
    if (this.target.write(chunk) || this.state !== 'live' || this.target.writableLength <= this.maxBufferBytes) return true;
    this.close('slow');
    return false;
  }

  /** A batch from the bus: written at once when live, held while catching up. */
  deliver(events: BusEvent[], frames: Chunk): void {
    if (this.state === 'live') {
      if (!this.filtering) {
        this.send(frames);
        return;
      }
      // A client can be ahead of this instance's reader: it resumed with an id another
      // instance sent, or opened while this reader lagged. Skip what it already has.
      const last = events.at(-1);
      if (last === undefined || compareStreamIds(last.id, this.after) <= 0) return;
      this.filtering = false;
      const fresh = events.filter((event) => compareStreamIds(event.id, this.after) > 0);
      this.send(fresh.length === events.length ? frames : fresh.map(formatEvent).join(''));
    } else if (this.state === 'catching-up') {
      this.pending.push(...events);
      if (this.pending.length > MAX_PENDING_EVENTS) this.close('slow');
    }
  }

  /** History is written up to `replayedUpTo`: flush the held events after it and go live. */
  goLive(replayedUpTo: string): void {
    if (this.state !== 'catching-up') return;
    if (compareStreamIds(replayedUpTo, this.after) > 0) this.after = replayedUpTo;
    const held = this.pending.filter((event) => compareStreamIds(event.id, this.after) > 0);
    this.pending = [];
    this.state = 'live';
    if (held.length > 0) this.send(held.map(formatEvent).join(''));
  }

  /** Ends the response; `slow` and `error` cut the socket at once since its buffer cannot drain. */
  close(reason: CloseReason): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeReason = reason;
    this.pending = [];
    if (reason === 'slow' || reason === 'error') this.target.destroy();
    else this.target.end();
    this.onClose(this);
  }
}
