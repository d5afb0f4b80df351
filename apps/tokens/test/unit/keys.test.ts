import { generateKeyPairSync } from 'node:crypto';
import { ConfigError } from '@bundle/kit';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { loadTokenKeys, type KeySource } from '../../src/domain/keys';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const ecPem = ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const edJwk = JSON.stringify(ed.privateKey.export({ format: 'jwk' }));

const signing = (value: string, where = 'TOKEN_SIGNING_KEY'): KeySource => ({ value, where, variable: 'TOKEN_SIGNING_KEY' });
const previous = (value: string): KeySource => ({ value, where: 'TOKEN_PREVIOUS_PUBLIC_KEY', variable: 'TOKEN_PREVIOUS_PUBLIC_KEY' });

/** The ConfigError a call throws, for assertions on its one line. */
async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

describe('loadTokenKeys', () => {
  test('when the key is a PEM PKCS8 EC P-256 key, then ES256 with its thumbprint as kid', async () => {
    const keys = await loadTokenKeys({ signingKey: signing(ecPem) }, { production: true });

    const publicJwk = ec.publicKey.export({ format: 'jwk' }) as JWK;
    expect(keys.signing).toEqual({ kid: await calculateJwkThumbprint(publicJwk), alg: 'ES256', privateKey: expect.anything() });
    expect(keys.jwks).toEqual({ keys: [{ ...publicJwk, kid: keys.signing.kid, alg: 'ES256', use: 'sig' }] });
    expect(keys.generated).toBe(false);
  });

  test('when the PEM comes with its newlines escaped, then it loads the same', async () => {
    const keys = await loadTokenKeys({ signingKey: signing(ecPem.trim().replace(/\n/g, '\\n')), signingKeyId: 'k1' }, { production: true });

    expect(keys.signing).toMatchObject({ kid: 'k1', alg: 'ES256' });
  });

  test('when the key is a private Ed25519 JWK and a kid is set, then EdDSA under that kid, without the private part in the JWKS', async () => {
    const keys = await loadTokenKeys({ signingKey: signing(edJwk), signingKeyId: 'ed-1' }, { production: true });

    expect(keys.signing).toMatchObject({ kid: 'ed-1', alg: 'EdDSA' });
    expect(keys.jwks.keys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: 'ed-1', alg: 'EdDSA', use: 'sig' }]);
  });

  test('when a previous public key is given as PEM SPKI, then the JWKS lists the current key, then the previous', async () => {
    const spki = ec.publicKey.export({ format: 'pem', type: 'spki' }).toString();

    const keys = await loadTokenKeys(
      { signingKey: signing(edJwk), signingKeyId: 'new', previousPublicKey: previous(spki), previousKeyId: 'old' },
      { production: true },
    );

    expect(keys.jwks.keys.map((key) => [key.kid, key.alg])).toEqual([
      ['new', 'EdDSA'],
      ['old', 'ES256'],
    ]);
  });

  test('when the previous key is a private JWK, then only its public part is listed', async () => {
    const privateJwk = JSON.stringify(ec.privateKey.export({ format: 'jwk' }));

    const keys = await loadTokenKeys({ signingKey: signing(edJwk), previousPublicKey: previous(privateJwk) }, { production: true });

    expect(keys.jwks.keys[1]).not.toHaveProperty('d');
    expect(keys.jwks.keys[1]).toMatchObject({ kty: 'EC', alg: 'ES256' });
  });

  test('when the previous key has the kid of the current one, then a config error', async () => {
    const spki = ec.publicKey.export({ format: 'pem', type: 'spki' }).toString();

    const error = await configError(loadTokenKeys({ signingKey: signing(ecPem), previousPublicKey: previous(spki) }, { production: true }));

    expect(error.variable).toBe('TOKEN_PREVIOUS_KEY_ID');
  });

  test.each([
    ['a truncated PEM', ecPem.slice(0, 120)],
    ['broken JSON', `{"kty":"EC","d":"${'A'.repeat(20)}`],
    ['a public key where a private one is needed', ec.publicKey.export({ format: 'pem', type: 'spki' }).toString()],
    ['a public JWK where a private one is needed', JSON.stringify(ed.publicKey.export({ format: 'jwk' }))],
    ['plain text', 'sentinel-not-a-key'],
  ])('when the signing key is %s, then one line naming the variable, without the key', async (_case, value) => {
    const error = await configError(loadTokenKeys({ signingKey: signing(value) }, { production: true }));

    expect(error.message).toBe('TOKEN_SIGNING_KEY: expected a PEM PKCS8 private key or a private JWK (EC P-256 or Ed25519)');
    expect(error.variable).toBe('TOKEN_SIGNING_KEY');
    expect(error.message).not.toContain('\n');
  });

  test('when the signing key is RSA, then it says which key types are accepted, without the key', async () => {
    const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

    const error = await configError(loadTokenKeys({ signingKey: signing(rsaPem) }, { production: true }));

    expect(error.message).toBe('TOKEN_SIGNING_KEY: expected an EC P-256 (ES256) or Ed25519 (EdDSA) key, got a rsa key');
  });

  test('when the key came from a binding and is malformed, then the line names the binding field and the variable is kept', async () => {
    const error = await configError(
      loadTokenKeys({ signingKey: signing('sentinel', 'binding "token-keys" credentials.signing_key') }, { production: true }),
    );

    expect(error.message).toMatch(/^binding "token-keys" credentials\.signing_key: expected /);
    expect(error.message).not.toContain('sentinel');
    expect(error.variable).toBe('TOKEN_SIGNING_KEY');
  });

  test('when the previous key is malformed, then one line naming its variable', async () => {
    const error = await configError(
      loadTokenKeys({ signingKey: signing(ecPem), previousPublicKey: previous('sentinel') }, { production: true }),
    );

    expect(error.message).toBe('TOKEN_PREVIOUS_PUBLIC_KEY: expected a PEM SPKI public key or a JWK (EC P-256 or Ed25519)');
  });

  test('when no key is configured in production, then a config error naming TOKEN_SIGNING_KEY', async () => {
    const error = await configError(loadTokenKeys({}, { production: true }));

    expect(error.variable).toBe('TOKEN_SIGNING_KEY');
    expect(error.message).toMatch(/^TOKEN_SIGNING_KEY: required in production/);
  });

  test('when no key is configured outside production, then one is generated (ES256) and flagged', async () => {
    const keys = await loadTokenKeys({}, { production: false });

    expect(keys.generated).toBe(true);
    expect(keys.signing).toMatchObject({ kid: expect.stringMatching(/^dev-/), alg: 'ES256' });
    expect(keys.jwks.keys).toHaveLength(1);
  });
});
