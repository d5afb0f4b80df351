import type { Context } from 'koa';

/**
 * The JSON body the kit parsed. Read through this instead of `ctx.request.body` because
 * the kit's type augmentation for it is not carried into its built declarations.
 */
export function requestBody(ctx: Pick<Context, 'request'>): unknown {
  return (ctx.request as { body?: unknown }).body;
}
