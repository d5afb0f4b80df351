import type { TokenRevoked } from '@bundle/kit';
import type { StreamClient } from './client';

/**
 * Ends streams whose token stops being good: revoked (a `token.revoked` bus event, which
 * every push instance reads) or expired. It costs nothing per stream beyond the jti and
 * exp the stream already holds: a revocation walks this instance's streams once, and one
 * sweep a second walks them for expiry (10,000 streams: well under a millisecond), where
 * a timer per stream would cost an object and a heap entry each.
 *
 * Revoked ids are remembered until their token would have expired, so a stream that
 * was still opening when the event went by (its token checked a moment before the
 * revocation) is refused too.
 */
export function createTokenWatch() {
  const revoked = new Map<string, number>();

  return {
    /** True when a token.revoked for this id went by and the token has not expired since. */
    isRevoked(jti: string): boolean {
      return revoked.has(jti);
    },

    /** Records the revocation and ends this instance's streams opened with that token. */
    revoke(event: TokenRevoked, clients: Iterable<StreamClient>): number {
      revoked.set(event.jti, event.exp);
      let ended = 0;
      for (const client of clients) {
        if (client.token?.jti === event.jti && client.state !== 'closed') {
          client.close('revoked');
          ended += 1;
        }
      }
      return ended;
    },

    /** Ends the streams whose token has expired at `nowMs`, and forgets revocations past expiry. */
    sweep(clients: Iterable<StreamClient>, nowMs: number): number {
      const now = nowMs / 1000;
      let ended = 0;
      for (const client of clients) {
        if (client.token !== undefined && client.token.exp <= now && client.state !== 'closed') {
          client.close('expired');
          ended += 1;
        }
      }
      for (const [jti, exp] of revoked) if (exp <= now) revoked.delete(jti);
      return ended;
    },

    /** Revocations remembered now (tests, metrics). */
    get remembered(): number {
      return revoked.size;
    },
  };
}

export type TokenWatch = ReturnType<typeof createTokenWatch>;
