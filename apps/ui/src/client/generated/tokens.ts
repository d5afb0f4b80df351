// Generated from apps/tokens/openapi.yaml by `npm run api-types`: do not edit; change the document and run it again.
export interface paths {
  '/api/tokens': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Log in
     * @description HTTP Basic credentials (nickname:password, UTF-8) are checked by the users app; any body is ignored. Wrong passwords are limited per (nickname, client address): 5 per 15 minutes by default, then 429 for that pair, checked before the users app is asked; only wrong passwords count, and a right one ends its pair's count. Past 20 wrong passwords from one client address (any nicknames) the address is slowed, never refused for the count: its logins go two at a time per instance (four more wait, the next gets 429 with Retry-After) and each wrong password's 401 comes after a hold of 1 s, growing by 1 s a failure up to 5 s; a right password is answered at once. The client address is the one the trusted routers saw (TRUSTED_PROXY_HOPS), so a failure elsewhere never refuses the account's owner.
     */
    post: operations['logIn'];
    /**
     * Log out
     * @description Revokes the caller's token: its jti stays on the shared revocation list until the token would expire, so every app refuses it from now on.
     */
    delete: operations['logOut'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/.well-known/jwks.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The public keys tokens are verified with */
    get: operations['getJwks'];
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
    /** Readiness (tokens-db and event-bus answer) */
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
        /** @description unauthorized (no or malformed credentials), invalid_credentials (wrong nickname or password), too_many_requests, upstream_unavailable (users app unreachable), upstream_timeout, upstream_error, service_unavailable */
        code: string;
        message: string;
        request_id: string;
      };
    };
    IssuedToken: {
      /** @description A JWT; header alg (ES256 or EdDSA) and kid; claims sub (user id), nickname, iat, exp, jti, iss, aud */
      access_token: string;
      /** @enum {string} */
      token_type: 'Bearer';
      /** @description Seconds until the token expires */
      expires_in: number;
    };
    Jwks: {
      /** @description The current key first, then the previous one (if configured) */
      keys: {
        /** @enum {string} */
        kty: 'EC' | 'OKP';
        /** @enum {string} */
        crv?: 'P-256' | 'Ed25519';
        x?: string;
        y?: string;
        kid: string;
        /** @enum {string} */
        alg: 'ES256' | 'EdDSA';
        /** @enum {string} */
        use: 'sig';
      }[];
    };
  };
  responses: {
    /** @description An error */
    Error: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
  };
  parameters: never;
  requestBodies: never;
  headers: {
    /** @description Seconds until the request may succeed */
    RetryAfter: number;
    /** @description The request id, taken from X-Request-Id when sent, made otherwise */
    RequestId: string;
  };
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  logIn: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A new access token (Cache-Control no-store) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['IssuedToken'];
        };
      };
      400: components['responses']['Error'];
      /** @description No or malformed Basic credentials (code unauthorized), or a wrong nickname or password (code invalid_credentials); WWW-Authenticate Basic realm="chat" (RFC 7617), except to a page's own script, which gets xBasic realm="chat": a browser that meets Basic on the answer to a page's fetch raises its native sign-in dialog over the page. A script request is one with a Sec-Fetch-Mode other than navigate (Fetch Metadata, set by the browser) or with X-Requested-With XMLHttpRequest. */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      413: components['responses']['Error'];
      415: components['responses']['Error'];
      /** @description Too many wrong passwords for this nickname from this address, too many logins of this pair at once, or a slowed address's lane is full (too_many_requests) */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      502: components['responses']['Error'];
      /** @description The users app or a Redis is unreachable, or the users app is busy hashing passwords (upstream_unavailable, service_unavailable) */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      504: components['responses']['Error'];
    };
  };
  logOut: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoked */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['Error'];
      /** @description No token, a malformed header, or an invalid, expired or revoked token */
      401: {
        headers: {
          'WWW-Authenticate'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      413: components['responses']['Error'];
      415: components['responses']['Error'];
      503: components['responses']['Error'];
    };
  };
  getJwks: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The JWKS (Cache-Control public, max-age=300) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Jwks'];
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
      /** @description A backing service is unavailable, or the process is draining */
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
}
