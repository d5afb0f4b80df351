import Router from '@koa/router';
import { isStreamId, requireAuth, ValidationError, type TokenVerifier } from '@bundle/kit';
import type { Context } from 'koa';
import type { StreamQuota } from '../domain/quota';
import { RETRY_LINE } from '../domain/sse';
import { openStream, SSE_HEADERS, type StreamDeps } from '../domain/streams';

export interface EventsRouteDeps extends StreamDeps {
  verify: TokenVerifier;
  quota: StreamQuota;
  isDraining: () => boolean;
}

/** Last-Event-ID as EventSource sends it, or `?last_event_id=` for clients that cannot set it. */
export function lastEventIdOf(ctx: Context): string | undefined {
  const header = ctx.get('Last-Event-ID').trim();
  const query = ctx.query.last_event_id;
  const value = header !== '' ? header : typeof query === 'string' && query !== '' ? query : undefined;
  if (value !== undefined && !isStreamId(value)) {
    throw new ValidationError('Last-Event-ID must be an event id as sent in "id:", such as 1700000000000-0', 'Last-Event-ID');
  }
  return value;
}

/**
 * GET /api/events: the caller's Server-Sent Events stream. The token comes only in the
 * Authorization header (clients read the stream with fetch): a token in the URL is
 * refused by the kit (400 token_in_url), since routers and proxies log URLs. The
 * response is written to the socket directly (ctx.respond = false): Koa must neither
 * buffer nor compress it.
 *
 * HEAD answers at once with the headers a GET would get and no body (RFC 9110 9.3.2:
 * servers must support HEAD wherever GET is), after the same token check; it opens no
 * stream, so it takes no slot of the caller's quota and counts for no presence.
 */
export function eventsRouter(deps: EventsRouteDeps): Router {
  const router = new Router();
  router.get('/api/events', requireAuth(deps.verify), async (ctx) => {
    const lastEventId = lastEventIdOf(ctx);
    const caller = ctx.state.caller;
    if (!caller) throw new Error('requireAuth let a request through without a caller');
    if (ctx.method === 'HEAD') {
      ctx.set(SSE_HEADERS);
      ctx.status = 200;
      return;
    }
    // A request pipelined behind another on its connection waits for that one's response to
    // end, and a stream's never does: it would hold a slot and a stream nobody can read.
    if (ctx.res.socket === null)
      throw new ValidationError('an event stream must not be pipelined behind another request on its connection', 'connection');
    // The client's address as the trusted proxies tell it (the kit's TRUSTED_PROXY_HOPS).
    const release = deps.quota.take(caller.id, ctx.ip);
    ctx.status = 200; // for the access line; Koa itself writes nothing
    ctx.respond = false;
    if (deps.isDraining()) {
      release();
      // This instance is going away: the browser reconnects, and the router sends it elsewhere.
      ctx.res.writeHead(200, SSE_HEADERS);
      ctx.res.end(RETRY_LINE);
      return;
    }
    try {
      // Returns once the stream is open; the slot is given back when it closes.
      await openStream(deps, ctx.res, { caller, lastEventId, requestId: ctx.requestId, onEnd: release });
    } catch (error) {
      release();
      ctx.respond = true; // nothing was written yet: the error handler answers in JSON
      throw error;
    }
  });
  return router;
}
