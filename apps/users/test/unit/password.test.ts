import { DEFAULT_PARAMS, dummyHash, hashPassword, verifyPassword } from '../../src/domain/password';

const CHEAP = { N: 1024, r: 8, p: 1 };

describe('hashPassword and verifyPassword', () => {
  test('when the password is right, then it verifies; when wrong, then it does not', async () => {
    const hash = await hashPassword('correct horse battery', CHEAP);

    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterz', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  test('when the same password is hashed twice, then the hashes differ (a salt per hash)', async () => {
    const [first, second] = await Promise.all([hashPassword('same password', CHEAP), hashPassword('same password', CHEAP)]);

    expect(first).not.toBe(second);
    expect(await verifyPassword('same password', first)).toBe(true);
    expect(await verifyPassword('same password', second)).toBe(true);
  });

  test('when hashed with the defaults, then the parameters are stored with the hash and never the password', async () => {
    const hash = await hashPassword('correct horse battery');

    expect(hash).toMatch(
      new RegExp(`^scrypt\\$${DEFAULT_PARAMS.N}\\$${DEFAULT_PARAMS.r}\\$${DEFAULT_PARAMS.p}\\$[A-Za-z0-9+/]{22}==\\$[A-Za-z0-9+/]{43}=$`),
    );
    expect(hash).not.toContain('horse');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
  });

  test('when the hash was made with other parameters, then it still verifies (they are read from the hash)', async () => {
    const hash = await hashPassword('older password', { N: 2048, r: 4, p: 2 });

    expect(await verifyPassword('older password', hash)).toBe(true);
  });

  test.each([[''], ['plain text'], ['scrypt$1024$8$1$c2FsdA==$'], ['bcrypt$2b$10$abc']])(
    'when the stored hash is malformed (%j), then nothing verifies',
    async (stored) => {
      expect(await verifyPassword('anything at all', stored)).toBe(false);
    },
  );

  test('when a fullwidth and an ASCII spelling are compared, then they are the same password (NFKC)', async () => {
    const hash = await hashPassword('password1', CHEAP);

    expect(await verifyPassword('ｐａｓｓｗｏｒｄ１', hash)).toBe(true);
  });
});

describe('dummyHash', () => {
  test('when asked twice with the same parameters, then the same hash, which no guess verifies', async () => {
    const first = await dummyHash(CHEAP);

    expect(await dummyHash(CHEAP)).toBe(first);
    expect(first.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('correct horse battery', first)).toBe(false);
  });
});
