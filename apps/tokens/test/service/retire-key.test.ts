import { generateKeyPairSync } from 'node:crypto';
import { createEventBus, retiredSigningKeys, TOKEN_KEY_RETIRED } from '@bundle/kit';
import { closeTestRedis } from '@bundle/kit/testing';
import { loadTokenKeys } from '../../src/domain/keys';
import { retireKey } from '../../src/tasks/retire-key';
import { startHarness, type Harness } from './harness';

// Issue 22 item 13: the retire step of a key rotation, as scripts/rotate-keys runs it (a task
// in the tokens app's own environment).
const previous = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const current = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const env = (busUrl: string): NodeJS.ProcessEnv => ({
  EVENT_BUS_URL: busUrl,
  TOKENS_DB_URL: busUrl,
  TOKEN_SIGNING_KEY: current.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  TOKEN_SIGNING_KEY_ID: 'key-2',
  TOKEN_PREVIOUS_PUBLIC_KEY: JSON.stringify(previous.publicKey.export({ format: 'jwk' })),
  TOKEN_PREVIOUS_KEY_ID: 'key-1',
});

let harness: Harness;
beforeAll(async () => {
  const source = (variable: string, value: string) => ({ value, where: variable, variable });
  const keys = await loadTokenKeys(
    {
      signingKey: source('TOKEN_SIGNING_KEY', env('').TOKEN_SIGNING_KEY!),
      signingKeyId: 'key-2',
      previousPublicKey: source('TOKEN_PREVIOUS_PUBLIC_KEY', env('').TOKEN_PREVIOUS_PUBLIC_KEY!),
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

const run = async (argv: string[], environment = env(harness.busUrl)) => {
  const lines: string[] = [];
  const code = await retireKey(argv, environment, (line) => lines.push(line));
  return { code, lines };
};

describe('the retire-key task', () => {
  test('when the previous key is retired, then exit 0, the bus says so, and the JWKS lists only the current key', async () => {
    const bus = createEventBus(harness.busRedis);
    const from = await bus.lastId();
    expect(await run(['key-1'])).toEqual({
      code: 0,
      lines: ['retire-key: key-1 is retired: every app refuses the tokens it signed from now on, and the JWKS no longer lists it'],
    });
    expect(await retiredSigningKeys(harness.busRedis)).toEqual(['key-1']);
    expect((await bus.after(from)).map((event) => [event.name, event.payload])).toEqual([[TOKEN_KEY_RETIRED, { kid: 'key-1' }]]);
    const jwks = await harness.request.get('/.well-known/jwks.json');
    expect(jwks.body.keys.map((key: { kid: string }) => key.kid)).toEqual(['key-2']);
    expect(await run(['key-1'])).toEqual({ code: 0, lines: ['retire-key: key-1 was retired already'] });
  });

  test('when the key that signs new tokens is named, then exit 1 and nothing is retired', async () => {
    expect(await run(['key-2'])).toEqual({
      code: 1,
      lines: ['retire-key: key-2 signs new tokens: switch to a new key first (scripts/rotate-keys <space> switch)'],
    });
    expect(await retiredSigningKeys(harness.busRedis)).not.toContain('key-2');
  });

  test('when the previous key may still have valid tokens (TOKEN_PREVIOUS_KEY_RETIRE_AFTER ahead), then exit 1 unless --now', async () => {
    const later = {
      ...env(harness.busUrl),
      TOKEN_PREVIOUS_KEY_ID: 'key-0',
      TOKEN_PREVIOUS_KEY_RETIRE_AFTER: new Date(Date.now() + 60_000).toISOString(),
    };
    const refused = await run(['key-0'], later);
    expect(refused).toEqual({
      code: 1,
      lines: [expect.stringMatching(/^retire-key: tokens key-0 signed may be valid until .*: add --now to do it anyway$/)],
    });
    expect(await retiredSigningKeys(harness.busRedis)).not.toContain('key-0');
    expect((await run(['key-0', '--now'], later)).code).toBe(0);
    expect(await retiredSigningKeys(harness.busRedis)).toContain('key-0');
  });

  test('when no kid, an option or two kids are given, then the usage line and exit 2; --help exits 0', async () => {
    for (const argv of [[], ['--force'], ['a', 'b'], ['--now']]) {
      const { code, lines } = await run(argv);
      expect({ code, line: lines[0] }).toEqual({
        code: 2,
        line: expect.stringMatching(/^retire-key: usage: node apps\/tokens\/dist\/tasks\/retire-key\.js <kid>/),
      });
    }
    expect((await run(['--help'])).code).toBe(0);
  });

  test('when a key setting is malformed, then the config error names the variable, without the value', async () => {
    await expect(run(['key-1'], { ...env(harness.busUrl), TOKEN_PREVIOUS_PUBLIC_KEY: 'not a key' })).rejects.toThrow(
      /^TOKEN_PREVIOUS_PUBLIC_KEY: expected a PEM SPKI public key or a JWK/,
    );
  });
});
