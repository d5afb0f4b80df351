import type convict from 'convict';

/** What the push app needs beyond the kit's base settings (port, log level, grace...). */
export interface PushSettings {
  jwksUrl: string;
  tokenIssuer: string;
  tokenAudience: string;
  heartbeatSeconds: number;
  maxClientBufferBytes: number;
  presenceRefreshSeconds: number;
}

/** An http(s) URL (convict's own `url` format needs a validator package). */
function httpUrl(value: unknown): void {
  let protocol = '';
  try {
    protocol = new URL(String(value)).protocol;
  } catch {
    throw new Error('expected an http:// or https:// URL');
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error('expected an http:// or https:// URL');
}

export const schema: convict.Schema<PushSettings> = {
  jwksUrl: {
    doc: 'Where the tokens app serves its JWKS (tokens are verified locally against it)',
    format: httpUrl,
    default: 'http://127.0.0.1:8080/.well-known/jwks.json',
    env: 'JWKS_URL',
  },
  tokenIssuer: { doc: 'The `iss` every accepted token carries', format: 'non-empty', default: 'urn:chat:tokens', env: 'TOKEN_ISSUER' },
  tokenAudience: { doc: 'The `aud` every accepted token carries', format: 'non-empty', default: 'urn:chat:api', env: 'TOKEN_AUDIENCE' },
  heartbeatSeconds: {
    doc: 'Seconds between comment heartbeats on idle streams (Cloud Foundry and Heroku routers cut idle connections well under a minute)',
    format: 'positive-int',
    default: 15,
    env: 'HEARTBEAT_SECONDS',
  },
  maxClientBufferBytes: {
    doc: 'Bytes a slow client may leave unsent before it is dropped (it reconnects with Last-Event-ID); bounds memory per client',
    format: 'positive-int',
    default: 65_536,
    env: 'MAX_CLIENT_BUFFER_BYTES',
  },
  presenceRefreshSeconds: {
    doc: "Seconds between presence refreshes; an instance silent for three of them is taken for dead and its users go offline",
    format: 'positive-int',
    default: 10,
    env: 'PRESENCE_REFRESH_SECONDS',
  },
};
