import { Transform } from 'node:stream';
import { answer } from './answers';
import type { Exchange } from './exchange';
import type { RouterLimits } from './settings';

/** Request bodies up to this size are read whole, so a refused request can be sent again. */
const REPLAYABLE_BODY_BYTES = 1024 * 1024;
/** After a 413, this much more of the body is read and dropped so the client can read the answer, then the connection is closed. */
const LINGER_BYTES = 256 * 1024;

/**
 * Request bodies on their way in: the limit of one body, and the budget of bodies read
 * whole at once (clients that send most of a body and stall must not pile up the router's
 * memory). Each request's body is read whole, streamed through counted, or refused (413).
 */
export class BodyIntake {
  /** Bytes booked by bodies being read whole now, against maxBufferedBodyBytes. */
  private buffered = 0;

  constructor(
    private readonly limits: Pick<RouterLimits, 'maxBodyBytes' | 'maxBufferedBodyBytes'>,
    /** The next step, once the body is ready (one function for every request: no closure per request). */
    private readonly next: (exchange: Exchange) => void,
  ) {}

  /** Makes the exchange's body ready to send (`body`, `stream` or none), then hands it on; or answers 413. */
  take(exchange: Exchange): void {
    const { req } = exchange;
    const chunked = req.headers['transfer-encoding'] !== undefined;
    const length = chunked ? Number.NaN : Number(req.headers['content-length'] ?? 0);
    const { maxBodyBytes } = this.limits;
    if (length > maxBodyBytes) return this.tooLarge(exchange);
    if (length === 0) {
      exchange.replayable = true; // no body: nothing to send again
      return this.next(exchange);
    }
    // A body kept whole holds its declared length, or for a chunked one the most it may be.
    const large = length > REPLAYABLE_BODY_BYTES || (chunked && maxBodyBytes > REPLAYABLE_BODY_BYTES);
    if (large || !this.book(chunked ? maxBodyBytes : length, exchange)) {
      // Streams through as it comes and is not sent again. The proxy gets the counter, never the
      // request itself: it destroys the stream it was given when the app fails or goes, and the
      // request must stay the router's to answer.
      exchange.stream = req.pipe(this.counter(exchange));
      return this.next(exchange);
    }
    this.readWhole(exchange);
  }

  /** A small body is read first, so the request can go to another instance if one refuses it. */
  private readWhole(exchange: Exchange): void {
    const { req } = exchange;
    const limit = this.limits.maxBodyBytes;
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else {
        req.off('data', onData);
        this.tooLarge(exchange);
      }
    };
    req.on('data', onData);
    req.once('end', () => {
      if (size > limit) return;
      exchange.body = Buffer.concat(chunks);
      exchange.replayable = true;
      this.next(exchange);
    });
    req.once('error', () => exchange.res.destroy());
  }

  /**
   * Books `bytes` of the budget until the body is read (or its request or response goes:
   * the request's 'close' comes on either, and on Node 22 a response queued behind another
   * on its connection never closes); false when the budget cannot take them.
   */
  private book(bytes: number, { req, res }: Exchange): boolean {
    if (this.buffered + bytes > this.limits.maxBufferedBodyBytes) return false;
    this.buffered += bytes;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.buffered -= bytes;
    };
    req.once('close', release);
    res.once('close', release);
    return true;
  }

  /** Counts a body streaming through; past the limit the app's request is cut and the client gets 413 (when nothing was answered yet). */
  private counter(exchange: Exchange): Transform {
    let size = 0;
    const limit = this.limits.maxBodyBytes;
    return new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        size += chunk.length;
        if (size <= limit) {
          done(null, chunk);
          return;
        }
        exchange.cancelUpstream();
        exchange.req.unpipe();
        this.tooLarge(exchange);
        done();
      },
    });
  }

  /**
   * 413 for a body over the limit. The client may still be sending it: up to LINGER_BYTES
   * more are read and dropped (closing with unread bytes would reset the connection, and
   * the client could lose the answer), then the connection is closed; a body that ends
   * before leaves a keep-alive connection as it was.
   */
  private tooLarge(exchange: Exchange): void {
    const { req, res } = exchange;
    exchange.routerError = 'payload_too_large';
    let dropped = 0;
    req.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > LINGER_BYTES) req.socket?.destroy();
    });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    answer(exchange, 'payload_too_large', this.limits.maxBodyBytes);
  }
}
