import { generateKeyPairSync } from 'node:crypto';
import { closeTestRedis } from '@bundle/kit/testing';
import { SignJWT } from 'jose';
import { loadTokenKeys } from '../../src/domain/keys';
import { AUDIENCE, ISSUER, logIn, startHarness, uniqueNickname, verifyWithJwks, type Harness } from './harness';

/** The key before the rotation: its private half signed tokens that are still out there. */
const previous = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const current = generateKeyPairSync('ed25519');

let harness: Harness;
beforeAll(async () => {
  const keys = await loadTokenKeys(
    {
      signingKey: {
        value: current.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        where: 'TOKEN_SIGNING_KEY',
        variable: 'TOKEN_SIGNING_KEY',
      },
      signingKeyId: 'key-2',
      previousPublicKey: {
        value: JSON.stringify(previous.publicKey.export({ format: 'jwk' })),
        where: 'TOKEN_PREVIOUS_PUBLIC_KEY',
        variable: 'TOKEN_PREVIOUS_PUBLIC_KEY',
      },
      previousKeyId: 'key-1',
    },
    { production: true },
  );
  harness = await startHarness({ keys });
});
afterAll(async () => {
  await harness.close();
  await closeTestRedis();
});

/** A token as the tokens app signed it before the rotation. */
async function signedBeforeRotation(nickname: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ nickname })
    .setProtectedHeader({ alg: 'ES256', kid: 'key-1' })
    .setSubject(`id-${nickname}`)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .setJti(`jti-${nickname}`)
    .sign(previous.privateKey);
}

describe('GET /.well-known/jwks.json', () => {
  test('when a previous key is configured, then both public keys are listed, current first, cacheable for five minutes', async () => {
    const response = await harness.request.get('/.well-known/jwks.json');

    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.body).toEqual({
      keys: [
        { kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: 'key-2', alg: 'EdDSA', use: 'sig' },
        { kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: 'key-1', alg: 'ES256', use: 'sig' },
      ],
    });
    expect(JSON.stringify(response.body)).not.toMatch(/"d"/);
  });

  test('when a token was signed with the previous key, then it still verifies through the JWKS', async () => {
    const nickname = uniqueNickname();
    const token = await signedBeforeRotation(nickname);

    const { payload, protectedHeader } = await verifyWithJwks(harness, token);

    expect(protectedHeader.kid).toBe('key-1');
    expect(payload).toMatchObject({ sub: `id-${nickname}`, nickname });
  });

  test('when a token was signed with the previous key, then it can still be revoked', async () => {
    const token = await signedBeforeRotation(uniqueNickname());

    const response = await harness.request.delete('/api/tokens').set('Authorization', `Bearer ${token}`);

    expect(response.status).toBe(204);
  });

  test('when logging in after the rotation, then the new token is signed with the current key (EdDSA)', async () => {
    const token = await logIn(harness, uniqueNickname());

    const { protectedHeader } = await verifyWithJwks(harness, token);

    expect(protectedHeader).toEqual({ alg: 'EdDSA', kid: 'key-2', typ: 'JWT' });
  });
});
