import Router from '@koa/router';
import { isStreamId, NotFoundError, requireAuth, type EventBus, type TokenVerifier } from '@bundle/kit';
import { normaliseNickname } from '../domain/mentions';
import { validateText } from '../domain/message';
import { listMessages, postMessage, toMessage } from '../domain/messages';
import { parseAfter, parseLimit } from '../domain/paging';
import type { MessageStore } from '../store';

export const PREFIX = '/api/messages';

/** /api/messages: post, page through history, one message, the caller's mention count. All need a token. */
export function messagesRouter(store: MessageStore, bus: EventBus, verify: TokenVerifier): Router {
  const router = new Router({ prefix: PREFIX });
  router.use(requireAuth(verify));

  router.post('/', async (ctx) => {
    // The kit's body augmentation is not part of its emitted declarations, so read it untyped.
    const text = validateText((ctx.request as { body?: unknown }).body);
    const caller = ctx.state.caller!;
    const message = await postMessage(store, bus, ctx.log, text, { id: caller.id, nickname: caller.nickname }, ctx.requestId);
    ctx.status = 201;
    ctx.set('Location', `${PREFIX}/${message.id}`);
    ctx.body = message;
  });

  router.get('/', async (ctx) => {
    const after = parseAfter(ctx.query.after);
    const limit = parseLimit(ctx.query.limit);
    ctx.body = await listMessages(store, after, limit);
  });

  // Before /:id, which it would otherwise match.
  router.get('/mentions', async (ctx) => {
    const nickname = ctx.state.caller!.nickname;
    ctx.body = { nickname, count: await store.mentionCount(normaliseNickname(nickname)) };
  });

  router.get('/:id', async (ctx) => {
    const id = ctx.params.id ?? '';
    const stored = isStreamId(id) ? await store.get(id) : undefined;
    if (!stored) throw new NotFoundError(`no message ${id}`);
    ctx.body = toMessage(stored);
  });

  return router;
}
