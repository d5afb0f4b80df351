// @ts-check
/**
 * The journeys' HTTP client: public routes of one base URL only. Every call names the step
 * it belongs to, so a failure says which step, what it expected, what it got and the
 * request id of the response that broke it (to find it in the logs).
 */
const crypto = require('node:crypto');

/** A failed expectation inside a journey. */
class JourneyError extends Error {
  /**
   * @param {string} step
   * @param {string} expected
   * @param {string} got
   * @param {string} [requestId]
   */
  constructor(step, expected, got, requestId) {
    super(`step "${step}": expected ${expected}, got ${got}${requestId ? ` (request id ${requestId})` : ''}`);
    this.name = 'JourneyError';
    this.step = step;
    this.requestId = requestId;
  }
}

/** The base URL does not answer at all: the run stops with one line. */
class UnreachableError extends Error {}

/**
 * @typedef {{ status: number, headers: Headers, body: any, text: string, requestId: string | undefined }} Reply
 * @typedef {{ token?: string, basic?: { nickname: string, password: string }, json?: unknown, headers?: Record<string, string>, timeoutMs?: number }} CallOptions
 */

/** @param {string} base */
function createClient(base) {
  const root = base.replace(/\/+$/, '');
  /**
   * @param {string} step @param {string} method @param {string} path @param {CallOptions} [options]
   * @returns {Promise<Reply>}
   */
  async function call(step, method, path, options = {}) {
    /** @type {Record<string, string>} */
    const headers = { Accept: 'application/json', 'X-Request-Id': `e2e-${crypto.randomUUID()}`, ...options.headers };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (options.basic)
      headers.Authorization = `Basic ${Buffer.from(`${options.basic.nickname}:${options.basic.password}`).toString('base64')}`;
    if (options.json !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(`${root}${path}`, {
        method,
        headers,
        body: options.json === undefined ? undefined : JSON.stringify(options.json),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        redirect: 'manual',
      });
    } catch (error) {
      const cause = /** @type {{ cause?: { code?: string, message?: string } }} */ (error).cause;
      throw new JourneyError(
        step,
        `an answer from ${method} ${path}`,
        cause?.code ?? cause?.message ?? String(error),
        headers['X-Request-Id'],
      );
    }
    const text = await response.text();
    let body;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return {
      status: response.status,
      headers: response.headers,
      body,
      text,
      requestId: response.headers.get('x-request-id') ?? headers['X-Request-Id'],
    };
  }

  /**
   * A call that must answer `status`; returns the reply.
   * @param {string} step @param {number} status @param {string} method @param {string} path @param {CallOptions} [options]
   */
  async function expectStatus(step, status, method, path, options) {
    const reply = await call(step, method, path, options);
    if (reply.status !== status)
      throw new JourneyError(step, `${method} ${path} -> ${status}`, `${reply.status} ${summary(reply)}`, reply.requestId);
    return reply;
  }

  return { base: root, call, expectStatus };
}

/** A short description of a reply body for a failure line. @param {Reply} reply */
function summary(reply) {
  const code = reply.body?.error?.code;
  if (code) return `${code}: ${reply.body.error.message ?? ''}`.trim();
  return reply.text.length > 120 ? `${reply.text.slice(0, 120)}...` : reply.text;
}

/**
 * Checks a condition inside a step.
 * @param {boolean} condition @param {string} step @param {string} expected @param {() => string} got @param {string} [requestId]
 * @returns {asserts condition}
 */
function check(condition, step, expected, got, requestId) {
  if (!condition) throw new JourneyError(step, expected, got(), requestId);
}

/** A nickname no earlier run has used (nicknames: 3-32 of [A-Za-z0-9_-]). @param {string} role */
function uniqueNickname(role) {
  return `e2e-${role}-${Date.now().toString(36)}${crypto.randomBytes(3).toString('hex')}`.slice(0, 32);
}

const newPassword = () => crypto.randomBytes(12).toString('base64url');

/** @typedef {ReturnType<typeof createClient>} Client */

module.exports = { JourneyError, UnreachableError, createClient, check, summary, uniqueNickname, newPassword };
