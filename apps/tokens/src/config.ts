import type convict from 'convict';

/**
 * The tokens app's own settings (the kit's base settings are spread in by loadAppConfig).
 * Secrets have an empty default: main.ts then looks for them in a user-provided binding
 * (`token-keys`, `service-credentials`) and decides whether their absence is fatal.
 */
export interface TokensSettings {
  usersUrl: string;
  usersTimeoutMs: number;
  serviceKey: string;
  tokenIssuer: string;
  tokenAudience: string;
  tokenTtlSeconds: number;
  signingKey: string;
  signingKeyId: string;
  previousPublicKey: string;
  previousKeyId: string;
  previousKeyRetireAfter: string;
  loginMaxFailuresPerNicknameAndAddress: number;
  loginMaxFailuresPerAddress: number;
  loginFailureWindowSeconds: number;
  trustedProxyHops: number;
}

export const tokensSchema: convict.Schema<TokensSettings> = {
  usersUrl: {
    doc: 'Base URL of the users app (its internal credentials route)',
    format: 'http-url',
    default: 'http://127.0.0.1:8080',
    env: 'USERS_URL',
  },
  usersTimeoutMs: {
    doc: 'How long a login waits for the users app before answering 504 (a password check costs ~0.25 s of CPU, so a burst of logins queues there)',
    format: 'positive-int',
    default: 5000,
    env: 'USERS_TIMEOUT_MS',
  },
  serviceKey: {
    doc: 'Service credentials for the users app (X-Service-Key); else binding "service-credentials" credentials.key',
    format: String,
    default: '',
    env: 'SERVICE_KEY',
    sensitive: true,
  },
  tokenIssuer: { doc: 'The iss claim of issued tokens', format: 'non-empty', default: 'urn:chat:tokens', env: 'TOKEN_ISSUER' },
  tokenAudience: { doc: 'The aud claim of issued tokens', format: 'non-empty', default: 'urn:chat:api', env: 'TOKEN_AUDIENCE' },
  tokenTtlSeconds: {
    doc: 'How long an issued token is valid, in seconds',
    format: 'positive-int',
    default: 3600,
    env: 'TOKEN_TTL_SECONDS',
  },
  signingKey: {
    doc: 'The signing key: PEM PKCS8 private key or private JWK (EC P-256 or Ed25519); else binding "token-keys" credentials.signing_key; generated at start outside production',
    format: String,
    default: '',
    env: 'TOKEN_SIGNING_KEY',
    sensitive: true,
  },
  signingKeyId: {
    doc: 'The kid of the signing key (default: the JWK thumbprint)',
    format: String,
    default: '',
    env: 'TOKEN_SIGNING_KEY_ID',
  },
  previousPublicKey: {
    doc: 'The previous public key (PEM SPKI or JWK), still listed in the JWKS so tokens it signed stay valid after a rotation',
    format: String,
    default: '',
    env: 'TOKEN_PREVIOUS_PUBLIC_KEY',
  },
  previousKeyRetireAfter: {
    doc: 'When the previous key may be retired (ISO 8601): the switch plus the longest a token lives. scripts/rotate-keys switch sets it; its retire step refuses before it unless --now',
    format: 'iso-time-or-empty',
    default: '',
    env: 'TOKEN_PREVIOUS_KEY_RETIRE_AFTER',
  },
  previousKeyId: {
    doc: 'The kid of the previous key (default: the JWK thumbprint)',
    format: String,
    default: '',
    env: 'TOKEN_PREVIOUS_KEY_ID',
  },
  loginMaxFailuresPerNicknameAndAddress: {
    doc: 'Wrong passwords allowed per (nickname, client address) within the window before that pair gets 429; the same nickname from another address is not affected, and a right password ends the count',
    format: 'positive-int',
    default: 5,
    env: 'LOGIN_MAX_FAILURES_PER_NICKNAME_AND_ADDRESS',
  },
  loginMaxFailuresPerAddress: {
    doc: "Wrong passwords per client address (any nicknames) within the window before that address's logins are slowed (two at a time, a wrong password's answer held up to 5 s); never a refusal for the count",
    format: 'positive-int',
    default: 20,
    env: 'LOGIN_MAX_FAILURES_PER_ADDRESS',
  },
  loginFailureWindowSeconds: {
    doc: 'The fixed window failed logins are counted in, in seconds',
    format: 'positive-int',
    default: 900,
    env: 'LOGIN_FAILURE_WINDOW_SECONDS',
  },
  trustedProxyHops: {
    doc: "Proxies in front of the app that append to X-Forwarded-For (1: the platform router, Heroku's or gorouter; 2 with an HTTP load balancer before gorouter); the client address is the entry the outermost of them appended, so a client cannot choose it",
    format: 'whole-number',
    default: 1,
    env: 'TRUSTED_PROXY_HOPS',
  },
};
