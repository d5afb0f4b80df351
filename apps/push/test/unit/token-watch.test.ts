import { StreamClient, type StreamTarget } from '../../src/domain/client';
import { createStreamQuota } from '../../src/domain/quota';
import { createTokenWatch } from '../../src/domain/token-watch';

const target = (): StreamTarget & { ended: boolean } => {
  const fake = { ended: false, writableLength: 0, write: () => true, end: () => void (fake.ended = true), destroy: () => undefined };
  return fake;
};
const client = (jti: string, exp: number) => {
  const out = target();
  const stream = new StreamClient(out, '0', 1024);
  stream.token = { jti, exp };
  return { stream, out };
};

describe('createTokenWatch', () => {
  test('when a token is revoked, then only its streams end, and its id is remembered until its exp', () => {
    const watch = createTokenWatch();
    const [a1, a2, b] = [client('a', 100), client('a', 100), client('b', 100)];
    expect(watch.revoke({ jti: 'a', exp: 100 }, [a1.stream, a2.stream, b.stream])).toBe(2);
    expect([a1.stream.closeReason, a2.stream.closeReason, b.stream.closeReason, a1.out.ended]).toEqual([
      'revoked',
      'revoked',
      undefined,
      true,
    ]);
    expect(watch.isRevoked('a')).toBe(true);
    watch.sweep([], 100_000);
    expect(watch.isRevoked('a')).toBe(false);
  });

  test('when the sweep runs, then the streams whose exp has come end as expired, the others stay', () => {
    const watch = createTokenWatch();
    const [due, later] = [client('x', 50), client('y', 51)];
    expect(watch.sweep([due.stream, later.stream], 50_000)).toBe(1);
    expect([due.stream.closeReason, later.stream.state]).toEqual(['expired', 'catching-up']);
  });
});

describe('createStreamQuota', () => {
  test('when a user is at the limit, then 429 with Retry-After; a release (once, however often called) frees one slot', () => {
    const quota = createStreamQuota({ maxPerUser: 2 });
    const first = quota.take('u', 'a1');
    quota.take('u', 'a2');
    expect(() => quota.take('u', 'a3')).toThrow(
      expect.objectContaining({ status: 429, code: 'too_many_requests', headers: { 'Retry-After': '5' } }),
    );
    expect(() => quota.take('v', 'a1')).not.toThrow();
    first();
    first();
    expect(quota.of('u')).toBe(1);
  });

  test('when the instance holds its most streams, then 503 with Retry-After whoever asks; a release frees one', () => {
    const quota = createStreamQuota({ maxPerUser: 10, maxTotal: 2 });
    const first = quota.take('u', 'a');
    quota.take('v', 'b');
    expect(() => quota.take('w', 'c')).toThrow(
      expect.objectContaining({ status: 503, code: 'service_unavailable', headers: { 'Retry-After': '2' } }),
    );
    expect(quota.total).toBe(2);
    first();
    first();
    expect(() => quota.take('w', 'c')).not.toThrow();
    expect(quota.total).toBe(2);
  });

  // Issue 22 item 1: any 52 accounts from one client filled an instance's streams.
  test('when one address holds its most streams, then its next account gets 429 with Retry-After while another address still gets a stream; a release frees one', () => {
    const quota = createStreamQuota({ maxPerUser: 10, maxPerAddress: 3 });
    const releases = ['u1', 'u2', 'u3'].map((user) => quota.take(user, '203.0.113.9'));
    expect(() => quota.take('u4', '203.0.113.9')).toThrow(
      expect.objectContaining({
        status: 429,
        headers: { 'Retry-After': '5' },
        message: 'too many event streams open from this address (at most 3 on an instance); close one or try again later',
      }),
    );
    expect(() => quota.take('u4', '198.51.100.7')).not.toThrow();
    releases[0]!();
    expect(quota.fromAddress('203.0.113.9')).toBe(2);
    expect(() => quota.take('u4', '203.0.113.9')).not.toThrow();
  });
});
