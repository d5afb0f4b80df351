import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { ConfigError } from '@bundle/kit';
import { calculateJwkThumbprint, type JWK } from 'jose';

/** The algorithms the kit's verifier accepts, by key type. */
export type SigningAlgorithm = 'ES256' | 'EdDSA';

/** A key as configured: its text and where it came from, for error lines (never the text itself). */
export interface KeySource {
  value: string;
  /** The variable (or binding field) named when the value is malformed. */
  where: string;
  variable: string;
}

export interface KeyInput {
  signingKey?: KeySource;
  signingKeyId?: string;
  previousPublicKey?: KeySource;
  previousKeyId?: string;
}

export interface TokenKeys {
  /** Signs every new token. */
  signing: { kid: string; alg: SigningAlgorithm; privateKey: KeyObject };
  /** The public keys a verifier may meet: the current one first, then the previous one. */
  jwks: { keys: JWK[] };
  /** True when the key was made at start (development): it dies with the process. */
  generated: boolean;
}

/**
 * Builds the signing key and the JWKS from config. Rotation: move the current public key
 * to TOKEN_PREVIOUS_PUBLIC_KEY (with its kid), set a new TOKEN_SIGNING_KEY, restart; tokens
 * signed before stay valid until they expire, and verifiers fetch the new kid on first sight.
 * Without a key, development gets a generated one and production stops.
 */
export async function loadTokenKeys(input: KeyInput, options: { production: boolean }): Promise<TokenKeys> {
  let privateKey: KeyObject;
  let generated = false;
  if (input.signingKey) {
    privateKey = parsePrivateKey(input.signingKey);
  } else if (options.production) {
    throw new ConfigError(
      'TOKEN_SIGNING_KEY: required in production (a PEM PKCS8 private key or a private JWK, EC P-256 or Ed25519), or a binding "token-keys" with credentials.signing_key',
      'TOKEN_SIGNING_KEY',
    );
  } else {
    privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    generated = true;
  }
  const alg = algorithmOf(privateKey, input.signingKey?.where ?? 'TOKEN_SIGNING_KEY', 'TOKEN_SIGNING_KEY');
  const current = await publicJwk(createPublicKey(privateKey), alg, input.signingKeyId || undefined, generated ? 'dev-' : '');
  const keys = [current];
  if (input.previousPublicKey) {
    const previousKey = parsePublicKey(input.previousPublicKey);
    const previous = await publicJwk(
      previousKey,
      algorithmOf(previousKey, input.previousPublicKey.where, input.previousPublicKey.variable),
      input.previousKeyId || undefined,
      '',
    );
    if (previous.kid === current.kid) {
      throw new ConfigError('TOKEN_PREVIOUS_KEY_ID: the previous key must have another kid than the signing key', 'TOKEN_PREVIOUS_KEY_ID');
    }
    keys.push(previous);
  }
  return { signing: { kid: current.kid as string, alg, privateKey }, jwks: { keys }, generated };
}

/** PEM PKCS8 (also with its newlines escaped as \n, as some dashboards store it) or a private JWK. */
export function parsePrivateKey(source: KeySource): KeyObject {
  const expected = `${source.where}: expected a PEM PKCS8 private key or a private JWK (EC P-256 or Ed25519)`;
  try {
    const text = source.value.trim();
    return text.startsWith('{')
      ? createPrivateKey({ key: JSON.parse(text) as JsonWebKey, format: 'jwk' })
      : createPrivateKey({ key: unescapeNewlines(text), format: 'pem' });
  } catch {
    // The parser's message may quote the input: never pass it on.
    throw new ConfigError(expected, source.variable);
  }
}

/** PEM SPKI or a JWK (a private JWK is accepted: only its public part is used). */
export function parsePublicKey(source: KeySource): KeyObject {
  const expected = `${source.where}: expected a PEM SPKI public key or a JWK (EC P-256 or Ed25519)`;
  try {
    const text = source.value.trim();
    return text.startsWith('{')
      ? createPublicKey({ key: JSON.parse(text) as JsonWebKey, format: 'jwk' })
      : createPublicKey({ key: unescapeNewlines(text), format: 'pem' });
  } catch {
    throw new ConfigError(expected, source.variable);
  }
}

function unescapeNewlines(text: string): string {
  return text.includes('\n') ? text : text.replace(/\\n/g, '\n');
}

function algorithmOf(key: KeyObject, where: string, variable: string): SigningAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  const kind =
    key.asymmetricKeyType === 'ec'
      ? `an EC ${key.asymmetricKeyDetails?.namedCurve ?? ''} key`
      : `a ${key.asymmetricKeyType ?? 'symmetric'} key`;
  throw new ConfigError(`${where}: expected an EC P-256 (ES256) or Ed25519 (EdDSA) key, got ${kind}`, variable);
}

/** The JWKS entry for a public key; without a configured kid, the RFC 7638 thumbprint, so every instance agrees. */
async function publicJwk(key: KeyObject, alg: SigningAlgorithm, kid: string | undefined, prefix: string): Promise<JWK> {
  const jwk = key.export({ format: 'jwk' }) as JWK;
  return { ...jwk, kid: kid ?? `${prefix}${await calculateJwkThumbprint(jwk)}`, alg, use: 'sig' };
}
