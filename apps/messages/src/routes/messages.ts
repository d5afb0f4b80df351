import Router from '@koa/router';
import { isStreamId, jsonBody, NotFoundError, requestBody, requireAuth, type EventBus, type TokenVerifier } from '@bundle/kit';
import type { Middleware } from 'koa';
import { normaliseNickname } from '../domain/mentions';
import { validateText } from '../domain/message';
import { listMessages, postMessage, toMessage } from '../domain/messages';
import { parseAfter, parseLimit } from '../domain/paging';
import { checkPostRate, DEFAULT_POST_RATE, type PostRate } from '../domain/post-rate';
import type { MessageStore } from '../store';

export const PREFIX = '/api/messages';

/** /api/messages: post, page through history, one message, the caller's mention count. All need a token. */
export function messagesRouter(store: MessageStore, bus: EventBus, verify: TokenVerifier, postRate: PostRate = DEFAULT_POST_RATE): Router {
  const router = new Router({ prefix: PREFIX });
  router.use(requireAuth(verify));

  // The rate is counted before the body is read: a refused post costs no parsing.
  const limitPosts: Middleware = async (ctx, next) => {
    await checkPostRate(store, ctx.state.caller!.id, postRate);
    await next();
  };
  // A message is at most 2000 characters: 16 kB holds that even as \u escapes of 4-byte characters.
  router.post('/', limitPosts, jsonBody({ limit: '16kb' }), async (ctx) => {
    const text = validateText(requestBody(ctx));
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
    // An id past the log's 64-bit parts is no message: Redis would refuse it as a range.
    const stored = isStreamId(id) ? await store.get(id) : undefined;
    if (!stored) throw new NotFoundError(`no message ${id}`);
    ctx.body = toMessage(stored);
  });

  return router;
}
