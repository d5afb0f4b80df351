// Generated from apps/push/openapi.yaml by `npm run api-types`: do not edit; change the document and run it again.
export interface paths {
  '/api/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The caller's event stream
     * @description Events: `message.created`, `user.created`, `user.online`, `user.offline`. Each is sent as `id: <stream id>`, `event: <name>`, `data: {"name","time","payload","request_id"?}`. The stream opens with `retry: 2000`. Without Last-Event-ID the stream starts at the newest event (only later ones are sent). On shutdown, and when the token is revoked or expires, the server ends the stream and the client reconnects with Last-Event-ID. A user holds at most MAX_STREAMS_PER_USER streams (default 10) on all instances together, and one client address at most MAX_STREAMS_PER_ADDRESS (default 200) on one instance: past either, 429 with Retry-After. A resume reaches back at most MAX_REPLAY_EVENTS events (default 500): a client further behind gets one `history.reload` event instead of the gap (its `id:` is where the stream goes on from) and should reload its history from the messages app.
     */
    get: operations['streamEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    /**
     * The stream's headers, at once
     * @description What a GET would answer, without a body and without opening a stream (HTTP requires HEAD wherever GET is: RFC 9110 section 9.1). The token is checked as for GET; the call takes no slot of the caller's stream limit.
     */
    head: operations['headEvents'];
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
    /** Readiness (event-bus and event-bus-reader answer) */
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
    Error: {
      error: {
        code: string;
        message: string;
        request_id: string;
        field?: string;
      };
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  streamEvents: {
    parameters: {
      query?: {
        /** @description The same, for clients that cannot set headers; the header wins. */
        last_event_id?: string;
      };
      header?: {
        /** @description The id of the last event the client received (EventSource sends it on reconnect). */
        'Last-Event-ID'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description An endless event stream */
      200: {
        headers: {
          'Cache-Control'?: 'no-cache, no-transform';
          'X-Accel-Buffering'?: 'no';
          [name: string]: unknown;
        };
        content: {
          'text/event-stream': string;
        };
      };
      /** @description Last-Event-ID is not an event id (`invalid_request`), or a token came in the URL as `?access_token=` (`token_in_url`, field `access_token`; refused even beside a valid header, and never read or logged) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No token, or a token that is invalid, expired or revoked (with WWW-Authenticate); a token in a cookie is not read */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The caller already holds MAX_STREAMS_PER_USER streams on this instance (`too_many_requests`, with Retry-After) */
      429: {
        headers: {
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The event bus is unavailable, or this instance already holds MAX_STREAMS streams (`service_unavailable`, with Retry-After) */
      503: {
        headers: {
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  headEvents: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The event-stream headers, no body */
      200: {
        headers: {
          'Content-Type'?: 'text/event-stream; charset=utf-8';
          'Cache-Control'?: 'no-cache, no-transform';
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description A token came in the URL (`token_in_url`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No token, or a token that is invalid, expired or revoked (with WWW-Authenticate) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
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
