import { generateKeyPairSync } from 'node:crypto';
import { loadTokenKeys } from '../../../../apps/tokens/src/domain/keys';

const { newSigningKey, currentSigningKey } = require('../../signing-keys') as {
  newSigningKey(): Promise<{ privateJwk: string; kid: string }>;
  currentSigningKey(env: Record<string, string>): Promise<{ publicJwk: string; kid: string } | undefined>;
};

const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const source = (value: string) => ({ value, where: 'TOKEN_SIGNING_KEY', variable: 'TOKEN_SIGNING_KEY' });
/** The kid the tokens app itself gives the key. */
const tokensAppKid = async (value: string, signingKeyId?: string) =>
  (await loadTokenKeys({ signingKey: source(value), signingKeyId }, { production: true })).signing.kid;
const bound = (credentials: Record<string, string>) =>
  JSON.stringify({ 'user-provided': [{ name: 'token-keys', label: 'user-provided', tags: [], credentials }] });

describe('the keys of a rotation (scripts/rotate-keys)', () => {
  test('when a new key is made, then the tokens app reads it and gives it the same kid', async () => {
    const next = await newSigningKey();
    expect(JSON.parse(next.privateJwk)).toMatchObject({ kty: 'EC', crv: 'P-256', d: expect.any(String) });
    expect(await tokensAppKid(next.privateJwk)).toBe(next.kid);
  });

  test('when the key is in TOKEN_SIGNING_KEY, then its public half and the kid the tokens app gives it', async () => {
    const current = await currentSigningKey({ TOKEN_SIGNING_KEY: pem });
    expect(current?.kid).toBe(await tokensAppKid(pem));
    expect(JSON.parse(current!.publicJwk)).not.toHaveProperty('d');
  });

  test('when the key is in the token-keys binding, then that; TOKEN_SIGNING_KEY_ID, then key_id, name its kid', async () => {
    expect((await currentSigningKey({ VCAP_SERVICES: bound({ signing_key: pem }) }))?.kid).toBe(await tokensAppKid(pem));
    expect((await currentSigningKey({ VCAP_SERVICES: bound({ signing_key: pem, key_id: 'k-bound' }) }))?.kid).toBe('k-bound');
    expect(
      (await currentSigningKey({ VCAP_SERVICES: bound({ signing_key: pem, key_id: 'k-bound' }), TOKEN_SIGNING_KEY_ID: 'k-var' }))?.kid,
    ).toBe('k-var');
  });

  test('when there is no key (the app makes one per process), then undefined', async () => {
    expect(await currentSigningKey({})).toBeUndefined();
    expect(await currentSigningKey({ VCAP_SERVICES: 'not json' })).toBeUndefined();
  });

  test('when the key does not parse, then the error names where it is, never its text', async () => {
    await expect(currentSigningKey({ TOKEN_SIGNING_KEY: 'secret-ish text' })).rejects.toThrow(
      /^TOKEN_SIGNING_KEY is not a key the tokens app can read$/,
    );
    await expect(currentSigningKey({ VCAP_SERVICES: bound({ signing_key: 'secret-ish text' }) })).rejects.toThrow(
      "the token-keys binding's signing_key is not a key the tokens app can read",
    );
  });
});
