import { AppError, createServiceClient, ServiceUnavailableError, UpstreamError } from '@bundle/kit';

export const VERIFY_PATH = '/api/users/internal/credentials/verify';

export interface UsersClientOptions {
  baseUrl: string;
  /** Undefined only outside production: every login then answers 503 without a call. */
  serviceKey: string | undefined;
  timeoutMs: number;
}

export interface VerifiedUser {
  id: string;
  nickname: string;
}

/** What the users app said about a nickname and password: who it is, or that they do not match. */
export type Verdict = { ok: true; user: VerifiedUser } | { ok: false };

/**
 * The users app's internal credentials check, over the kit's service client: a timeout,
 * the request id passed on, the service key in X-Service-Key. Not retried (a POST), and a
 * down or slow users app surfaces as the client's UpstreamError (503, 504, 502).
 */
export function createUsersClient(options: UsersClientOptions) {
  const headers: Record<string, string> = options.serviceKey ? { 'x-service-key': options.serviceKey } : {};
  const client = createServiceClient({ name: 'users', baseUrl: options.baseUrl, timeoutMs: options.timeoutMs, headers });
  return {
    async verifyCredentials(nickname: string, password: string, requestId: string): Promise<Verdict> {
      if (!options.serviceKey)
        throw new ServiceUnavailableError('logins are unavailable: SERVICE_KEY is not configured', { retryAfterSeconds: 60 });
      const response = await client
        .request<unknown>({ method: 'POST', path: VERIFY_PATH, body: { nickname, password }, requestId })
        .catch(withRetryAfter);
      if (response.status === 200) {
        const user = response.body as Partial<VerifiedUser> | null;
        if (typeof user?.id !== 'string' || typeof user.nickname !== 'string')
          throw new UpstreamError('users answered 200 without id and nickname', 200);
        return { ok: true, user: { id: user.id, nickname: user.nickname } };
      }
      // 401 invalid_credentials is the contract's "no"; a 400 means the users app found the
      // nickname or password malformed, which can match no account either.
      if ((response.status === 401 && errorCode(response.body) === 'invalid_credentials') || response.status === 400) return { ok: false };
      // Anything else (401 unauthorized: our service key is refused) is our misconfiguration, not the caller's.
      throw new UpstreamError(`users answered ${response.status} ${errorCode(response.body) ?? ''}`.trim(), response.status);
    },
  };
}

export type UsersClient = ReturnType<typeof createUsersClient>;

/**
 * An unreachable users app is usually a restart, and a users app answering 503 is busy
 * hashing as many passwords as its memory allows: both pass soon, so the client gets 503
 * with Retry-After (not 502, which would say something is broken).
 */
function withRetryAfter(error: unknown): never {
  if (error instanceof UpstreamError && error.status === 503) {
    throw new AppError(503, error.code, error.message, { cause: error.cause, expose: true, headers: { 'Retry-After': '1' } });
  }
  if (error instanceof UpstreamError && error.upstreamStatus === 503) {
    throw new AppError(503, 'upstream_unavailable', 'users is busy: try again shortly', {
      cause: error,
      expose: true,
      headers: { 'Retry-After': '1' },
    });
  }
  throw error;
}

function errorCode(body: unknown): string | undefined {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' ? code : undefined;
}
