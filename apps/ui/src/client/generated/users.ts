// Generated from apps/users/openapi.yaml by `npm run api-types`: do not edit; change the document and run it again.
export interface paths {
  '/api/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List users in registration order, a page at a time (signed-in callers only)
     * @description Requires a bearer token: nicknames are half of every login, so the directory is not
     *     for strangers to page through.
     */
    get: operations['listUsers'];
    put?: never;
    /** Register an account */
    post: operations['registerUser'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's own profile */
    get: operations['getMe'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Change the caller's own profile */
    patch: operations['updateMe'];
    trace?: never;
  };
  '/api/users/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One user */
    get: operations['getUser'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users/internal/credentials/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Check a nickname and password (for the tokens app only)
     * @description Requires the shared service key in `X-Service-Key`. A wrong password and an
     *     unknown nickname answer the same 401 `invalid_credentials` in about the same time.
     *     Answers 503 when the app has no service key configured. A request through a
     *     router (X-Forwarded-For) is a 404 unless INTERNAL_ROUTES_VIA_ROUTER is true.
     */
    post: operations['verifyCredentials'];
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
    /** Readiness (users-db and event-bus Redis answer) */
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
    Registration: {
      /**
       * @description 3 to 32 characters of letters a-z, digits, `_` or `-` after NFKC normalisation,
       *     at least one of them a letter or a digit; unique regardless of case (and of
       *     compatibility forms such as fullwidth letters). A short list of names is
       *     reserved, compared without case, `_` and `-` (the service's and its operators':
       *     admin, administrator, root, superuser, sysadmin, system, moderator, staff,
       *     support, helpdesk, official, security, operator; RFC 2142's abuse, postmaster,
       *     hostmaster, webmaster, and noreply, info; mentions of many: everyone, here,
       *     channel, all; anonymous, nobody, null, undefined, chat, api, www). Either is a
       *     400 `invalid_request` with `field: nickname`.
       */
      nickname: string;
      password: string;
      /** @description Defaults to the nickname. The same rules as in PATCH /api/users/me. */
      display_name?: string;
    };
    User: {
      /** Format: uuid */
      id: string;
      nickname: string;
      display_name: string;
      /** Format: date-time */
      created_at: string;
    };
    Error: {
      error: {
        code: string;
        message: string;
        request_id: string;
        /** @description The input at fault (400 and 409) */
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
    /** @description `invalid_request`: the input at fault is named in `field` */
    BadRequest: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description `unauthorized`: no bearer token, a malformed header, or an expired, revoked or foreign token */
    Unauthorized: {
      headers: {
        'WWW-Authenticate'?: string;
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description `not_found` */
    NotFound: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description `conflict`: the nickname is taken (field `nickname`) */
    Conflict: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description `service_unavailable`: Redis does not answer; retry after Retry-After seconds */
    Unavailable: {
      headers: {
        'Retry-After'?: number;
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /**
     * @description `service_unavailable`: Redis does not answer, or this instance already runs and
     *     queues as many password hashes as its memory allows (HASH_CONCURRENCY,
     *     HASH_QUEUE_LIMIT); retry after Retry-After seconds
     */
    Busy: {
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
  listUsers: {
    parameters: {
      query?: {
        /** @description Page size; clamped to 1..100. */
        limit?: number;
        /** @description The `next` of the previous page. */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of users; `next` is absent on the last page. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['User'][];
            next?: string;
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      503: components['responses']['Unavailable'];
    };
  };
  registerUser: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['Registration'];
      };
    };
    responses: {
      /** @description The new user; never the password or its hash. */
      201: {
        headers: {
          /** @description /api/users/{id} of the new user */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['User'];
        };
      };
      400: components['responses']['BadRequest'];
      409: components['responses']['Conflict'];
      413: components['responses']['Error'];
      415: components['responses']['Error'];
      /**
       * @description `too_many_requests`: this client address has used its registrations for the
       *     window (attempts with a taken nickname count too); retry after Retry-After seconds
       */
      429: {
        headers: {
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      503: components['responses']['Busy'];
    };
  };
  getMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The caller */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['User'];
        };
      };
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      503: components['responses']['Unavailable'];
    };
  };
  updateMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description Trimmed; 1 to 64 characters after trimming, with a character that shows; no control or text-direction character, and at most 8 combining marks stacked on one character (400 with field display_name). */
          display_name: string;
        };
      };
    };
    responses: {
      /** @description The updated user */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['User'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      413: components['responses']['Error'];
      415: components['responses']['Error'];
      503: components['responses']['Unavailable'];
    };
  };
  getUser: {
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
      /** @description The user */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['User'];
        };
      };
      404: components['responses']['NotFound'];
      503: components['responses']['Unavailable'];
    };
  };
  verifyCredentials: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          nickname: string;
          password: string;
        };
      };
    };
    responses: {
      /** @description The credentials are right */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            nickname: string;
          };
        };
      };
      400: components['responses']['BadRequest'];
      /** @description `unauthorized` without the right service key; `invalid_credentials` for a wrong nickname or password */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description `not_found`: the request came through a router */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      413: components['responses']['Error'];
      415: components['responses']['Error'];
      503: components['responses']['Busy'];
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
