/** Errors where the connection to the instance never opened: the request reached no app. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'EADDRNOTAVAIL']);
/** Errors after which a request safe to repeat may go to another instance. UND_ERR_SOCKET: undici's "other side closed" (the instance closed the connection under the request). */
const BROKE_ON_THE_WAY = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
/** Methods sent again after a connection broke under them: the safe ones (RFC 9110 9.2.1), which change nothing on the app. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Instances one request may be sent to, as gorouter's default (max_attempts 3). */
export const MAX_TRIES = 3;

export interface FailedTry {
  /** The error's code (ECONNREFUSED, UND_ERR_SOCKET...), or its message when it has none. */
  error: string;
  method: string | undefined;
  /** The request can be sent again as it was: no body, or one read whole. */
  replayable: boolean;
  /** Instances tried so far, the failed one included. */
  tries: number;
}

/**
 * Whether a request that failed on one instance goes on to another, as gorouter decides:
 * a connection that never opened reached no app, so any request may go on (when its body
 * can be sent again); one that broke on the way (a killed instance) goes on only for
 * methods that are safe to repeat. Never past MAX_TRIES.
 */
export function retryPolicy({ error, method, replayable, tries }: FailedTry): 'retry' | 'give_up' {
  if (tries >= MAX_TRIES) return 'give_up';
  if (NEVER_CONNECTED.has(error)) return replayable ? 'retry' : 'give_up';
  return IDEMPOTENT.has(method ?? '') && BROKE_ON_THE_WAY.has(error) ? 'retry' : 'give_up';
}
