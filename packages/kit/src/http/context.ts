import type { Logger } from 'pino';

declare module 'koa' {
  interface DefaultContext {
    /** This request's id: from X-Request-Id / X-Vcap-Request-Id when sane, made otherwise. */
    requestId: string;
    /** A child of the app's logger bound to the request id (made on first use). */
    log: Logger;
  }
}

export {};
