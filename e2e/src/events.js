// @ts-check
/**
 * The push app's event stream (GET /api/events) as a journey sees it: opened with a token,
 * optionally resuming after a Last-Event-ID; events collected in arrival order, and
 * waits that resolve on arrival or fail after a deadline with what did arrive.
 */
const { EventSource } = require('eventsource');
const { JourneyError } = require('./http');

const EVENT_NAMES = ['message.created', 'user.created', 'user.online', 'user.offline'];

/**
 * @typedef {{ id: string, name: string, data: any }} StreamEvent
 * @typedef {{ events: StreamEvent[], waitFor: (step: string, expected: string, predicate: (event: StreamEvent) => boolean, timeoutMs?: number) => Promise<StreamEvent>, close: () => void }} Stream
 */

/**
 * @param {string} base
 * @param {string} token
 * @param {{ step: string, lastEventId?: string, timeoutMs?: number }} options
 * @returns {Promise<Stream>}
 */
function openStream(base, token, options) {
  /** @type {StreamEvent[]} */
  const events = [];
  /** @type {Set<() => void>} */
  const listeners = new Set();
  /** @type {{ status?: number, requestId?: string }} */
  const last = {};
  const source = new EventSource(`${base}/api/events`, {
    // EventSource cannot set headers itself; the token and Last-Event-ID go through fetch.
    fetch: async (input, init) => {
      /** @type {Record<string, string>} */
      const headers = { .../** @type {Record<string, string>} */ (init?.headers ?? {}), Authorization: `Bearer ${token}` };
      if (options.lastEventId && !headers['Last-Event-ID']) headers['Last-Event-ID'] = options.lastEventId;
      const response = await fetch(input, { ...init, headers });
      last.status = response.status;
      last.requestId = response.headers.get('x-request-id') ?? undefined;
      return response;
    },
  });
  for (const name of EVENT_NAMES) {
    source.addEventListener(name, (message) => {
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        data = message.data;
      }
      events.push({ id: message.lastEventId, name, data });
      for (const listener of listeners) listener();
    });
  }

  /** @type {Stream} */
  const stream = {
    events,
    close: () => source.close(),
    waitFor(step, expected, predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const look = () => {
          const found = events.find(predicate);
          if (!found) return;
          done();
          resolve(found);
        };
        const timer = setTimeout(() => {
          done();
          const got = events.length === 0 ? 'no event' : events.map((event) => `${event.name} ${event.id}`).join(', ');
          reject(new JourneyError(step, `${expected} within ${timeoutMs / 1000}s`, got, last.requestId));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(look);
        };
        listeners.add(look);
        look();
      });
    },
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      source.close();
      reject(
        new JourneyError(
          options.step,
          `the event stream to open within ${(options.timeoutMs ?? 5000) / 1000}s`,
          last.status ? `HTTP ${last.status}` : 'no answer',
          last.requestId,
        ),
      );
    }, options.timeoutMs ?? 5000);
    source.onopen = () => {
      clearTimeout(timer);
      resolve(stream);
    };
    source.onerror = (error) => {
      if (source.readyState === EventSource.OPEN) return;
      // Before the first open, an error is the answer (401, 503...): no retry loop.
      if (last.status !== undefined && last.status !== 200) {
        clearTimeout(timer);
        source.close();
        reject(
          new JourneyError(
            options.step,
            'the event stream to open (200)',
            `HTTP ${last.status} ${error.message ?? ''}`.trim(),
            last.requestId,
          ),
        );
      }
    };
  });
}

module.exports = { openStream, EVENT_NAMES };
