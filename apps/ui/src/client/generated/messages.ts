// Generated from apps/messages/openapi.yaml by `npm run api-types`: do not edit; change the document and run it again.
export interface paths {
  '/api/messages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Page through the history
     * @description Without `after`, the newest page. With `after`, the messages after that id.
     *     Items are oldest first within a page; `next` is the id of the last item (pass it
     *     as `after` for newer messages) or null when the page is empty. When retention
     *     removed messages after `after`, the page starts at the oldest kept message and
     *     carries `"trimmed": true` (absent otherwise).
     */
    get: operations['listMessages'];
    put?: never;
    /**
     * Post a message
     * @description `text` must be a string of 1 to 2000 characters (Unicode code points) once
     *     leading and trailing whitespace is trimmed, with a character that shows, and no
     *     control character (line breaks and tabs aside) or text-direction override or
     *     isolate, at most 100 line breaks (CR LF, LF, CR, U+2028 and U+2029 each count one)
     *     and at most 8 combining marks stacked on one character (400 with `field: text`
     *     otherwise: a real chat's message, a pasted stack trace included, fits; a scroll bomb
     *     of 2,000 line breaks or 2,000 marks on one letter, which stood 48,000 px tall, does
     *     not); the trimmed text is stored as sent
     *     (no HTML escaping: clients must render it as text). If the event bus cannot take
     *     the event at once, the message is still stored and answered with 201, and it is
     *     published shortly afterwards. One user may post `POST_RATE_LIMIT` (20) messages per
     *     `POST_RATE_WINDOW_SECONDS` (10); past that, 429 with `Retry-After` (the body is not
     *     read). The body is at most 16 kB once decoded (`Content-Encoding` gzip, deflate and
     *     br are accepted).
     */
    post: operations['postMessage'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/messages/mentions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * How often the caller has been mentioned
     * @description Counts `@nickname` mentions (case-insensitive, once per message), kept by the worker process, so it trails new messages by a moment. Only nicknames of users that exist are counted (the worker learns them from `user.created` on the event bus), and only the first `MAX_MENTIONS_PER_MESSAGE` (20) distinct ones of a message.
     */
    get: operations['getMentions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/messages/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One message (the Location of a new message)
     * @description An id that is not a log id (`<ms>-<seq>`, both parts 64-bit), or one no longer kept, is a 404.
     */
    get: operations['getMessage'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness */
    get: operations['getHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Readiness (messages-db and event-bus answer) */
    get: operations['getReady'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/version': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** App, version and commit */
    get: operations['getVersion'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Prometheus metrics */
    get: operations['getMetrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/openapi.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This document */
    get: operations['getOpenApi'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Readiness: {
      /** @enum {string} */
      status: 'ready' | 'unavailable' | 'draining';
      /** @description The checks that failed (when unavailable) */
      failed?: string[];
      checks: {
        [key: string]: string;
      };
    };
    Version: {
      app: string;
      version: string;
      commit?: string;
    };
    Message: {
      /** @description Its id in the message log (a Redis stream id, `<ms>-<seq>`) */
      id: string;
      text: string;
      author: {
        id: string;
        nickname: string;
      };
      /** Format: date-time */
      created_at: string;
    };
    Error: {
      error: {
        code: string;
        message: string;
        request_id: string;
        field?: string;
      };
    };
  };
  responses: {
    /** @description An error */
    Error: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description Bad input; `field` names the culprit */
    BadRequest: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description No valid token */
    Unauthorized: {
      headers: {
        'WWW-Authenticate'?: string;
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description Over the per-user post rate; try again after `Retry-After` seconds */
    TooManyRequests: {
      headers: {
        'Retry-After'?: number;
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description A backing service is unavailable */
    Unavailable: {
      headers: {
        'Retry-After'?: number;
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
  };
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  listMessages: {
    parameters: {
      query?: {
        /** @description A message id (`<ms>-<seq>`); `0-0` reads from the very first message. Anything else is a 400 with field `after`. */
        after?: string;
        /** @description Page size, a whole number clamped to 1..200 (limit=100000 reads 200, limit=0 reads 1). Not a whole number is a 400 with field `limit`. */
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Message'][];
            next: string | null;
            /**
             * @description Messages after `after` were removed by retention; the page starts at the oldest kept
             * @constant
             */
            trimmed?: true;
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      503: components['responses']['Unavailable'];
    };
  };
  postMessage: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          text: string;
        };
      };
    };
    responses: {
      /** @description Stored */
      201: {
        headers: {
          /** @description The message's URL */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Message'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      413: components['responses']['Error'];
      415: components['responses']['Error'];
      429: components['responses']['TooManyRequests'];
      503: components['responses']['Unavailable'];
    };
  };
  getMentions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The caller's count */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            nickname: string;
            count: number;
          };
        };
      };
      401: components['responses']['Unauthorized'];
      503: components['responses']['Unavailable'];
    };
  };
  getMessage: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The message */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Message'];
        };
      };
      401: components['responses']['Unauthorized'];
      404: components['responses']['Error'];
      503: components['responses']['Unavailable'];
    };
  };
  getHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The process serves */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @constant */
            status: 'ok';
          };
        };
      };
    };
  };
  getReady: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Ready */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Readiness'];
        };
      };
      /** @description `not_found`: asked through a router (X-Forwarded-For) without the METRICS_TOKEN bearer */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description A backing service does not answer, or the app is draining */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Readiness'];
        };
      };
    };
  };
  getVersion: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The identity */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Version'];
        };
      };
      /** @description `not_found`: asked through a router with PUBLIC_VERSION=false, without the METRICS_TOKEN bearer */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getMetrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Prometheus text */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': string;
        };
      };
      /** @description `not_found`: asked through a router (X-Forwarded-For) without the METRICS_TOKEN bearer */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getOpenApi: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The OpenAPI document as JSON */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': Record<string, never>;
        };
      };
    };
  };
}
