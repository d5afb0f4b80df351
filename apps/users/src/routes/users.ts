import Router from '@koa/router';
import { jsonBody } from '@bundle/kit';
import type { Middleware } from 'koa';
import { requestBody } from './body';
import { getUser, listUsers, registerUser, updateProfile, type UsersDomain } from '../domain/users';
import { parsePage, parseProfilePatch, parseRegistration } from '../domain/validation';

/** The public resource: registration, the directory, and the caller's own profile. */
export function usersRouter(domain: UsersDomain, requireAuth: Middleware): Router {
  const router = new Router({ prefix: '/api/users' });
  // Registration and profile bodies are a few short strings; nothing larger is ever needed.
  const body = jsonBody({ limit: '16kb' });

  router.post('/', body, async (ctx) => {
    ctx.set('Cache-Control', 'no-store'); // the new account's own record
    const input = parseRegistration(requestBody(ctx));
    const user = await registerUser(domain, input, { requestId: ctx.requestId, log: ctx.log, address: ctx.ip });
    ctx.status = 201;
    ctx.set('Location', `/api/users/${user.id}`);
    ctx.body = user;
  });

  // Signed-in callers only: nicknames are half of every login, and a stranger paging through
  // them could aim guesses (or the registration probe) at every account. Making an account to
  // read it is itself limited per address.
  router.get('/', requireAuth, async (ctx) => {
    ctx.body = await listUsers(domain, parsePage(ctx.query));
  });

  // Before /:id, so "me" is never taken for an id.
  router.get('/me', requireAuth, async (ctx) => {
    ctx.body = await getUser(domain, callerId(ctx.state.caller));
  });

  router.patch('/me', requireAuth, body, async (ctx) => {
    ctx.body = await updateProfile(domain, callerId(ctx.state.caller), parseProfilePatch(requestBody(ctx)));
  });

  router.get('/:id', async (ctx) => {
    ctx.body = await getUser(domain, ctx.params.id ?? '');
  });

  return router;
}

function callerId(caller: { id: string } | undefined): string {
  // requireAuth ran first; without a caller the route is misconfigured.
  if (!caller) throw new Error('requireAuth did not set a caller');
  return caller.id;
}
