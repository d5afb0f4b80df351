/**
 * Typed errors, mapped to HTTP in one place (http/errors.ts). Every code is listed
 * in packages/kit/ERRORS.md; add it there when you add one here.
 */
export class AppError extends Error {
  override readonly name: string = 'AppError';
  /** Whether the message is safe to show to the client (4xx: yes; 5xx: no). */
  readonly expose: boolean;
  readonly headers: Record<string, string>;
  /** Extra fields for the JSON body (for example the failing field). */
  readonly details: Record<string, unknown>;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options: { cause?: unknown; headers?: Record<string, string>; details?: Record<string, unknown>; expose?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.expose = options.expose ?? status < 500;
    this.headers = options.headers ?? {};
    this.details = options.details ?? {};
  }
}

export class ValidationError extends AppError {
  override readonly name = 'ValidationError';
  constructor(message: string, field?: string) {
    super(400, 'invalid_request', message, field === undefined ? {} : { details: { field } });
  }
}

export class UnauthorizedError extends AppError {
  override readonly name = 'UnauthorizedError';
  constructor(message = 'authentication required', challenge = 'Bearer') {
    super(401, 'unauthorized', message, { headers: { 'WWW-Authenticate': challenge } });
  }
}

export class ForbiddenError extends AppError {
  override readonly name = 'ForbiddenError';
  constructor(message = 'not allowed') {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends AppError {
  override readonly name = 'NotFoundError';
  constructor(message = 'not found') {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends AppError {
  override readonly name = 'ConflictError';
  constructor(message: string, field?: string) {
    super(409, 'conflict', message, field === undefined ? {} : { details: { field } });
  }
}

export class TooManyRequestsError extends AppError {
  override readonly name = 'TooManyRequestsError';
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'too_many_requests', message, { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) } });
  }
}

export class ServiceUnavailableError extends AppError {
  override readonly name = 'ServiceUnavailableError';
  constructor(message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(503, 'service_unavailable', message, {
      cause: options.cause,
      expose: true,
      headers: { 'Retry-After': String(options.retryAfterSeconds ?? 1) },
    });
  }
}

/** Another app answered with an error or not at all (service client). */
export class UpstreamError extends AppError {
  override readonly name = 'UpstreamError';
  constructor(
    message: string,
    readonly upstreamStatus: number | undefined,
    options: { cause?: unknown; status?: number; code?: string } = {},
  ) {
    super(options.status ?? 502, options.code ?? 'upstream_error', message, { cause: options.cause, expose: true });
  }
}
