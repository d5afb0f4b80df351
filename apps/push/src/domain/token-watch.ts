import type { TokenRevoked } from '@bundle/kit';
import type { StreamClient } from './client';

/**
 * Ends streams whose token stops being good: revoked (a `token.revoked` bus event, which
 * every push instance reads), signed by a key retired since (`token.key-retired`), or expired. It costs nothing per stream beyond the jti and
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
  // Retired signing keys (token.key-retired): few, and retired for good, so kept for the process's life.
  const retiredKeys = new Set<string>();

  const end = (clients: Iterable<StreamClient>, matches: (token: NonNullable<StreamClient['token']>) => boolean): number => {
    let ended = 0;
    for (const client of clients) {
      if (client.token !== undefined && matches(client.token) && client.state !== 'closed') {
        client.close('revoked');
        ended += 1;
      }
    }
    return ended;
  };

  return {
    /** True when a token.revoked for this id went by and the token has not expired since, or its key was retired. */
    isRevoked(jti: string, kid?: string): boolean {
      return revoked.has(jti) || (kid !== undefined && retiredKeys.has(kid));
    },

    /** Records the revocation and ends this instance's streams opened with that token. */
    revoke(event: TokenRevoked, clients: Iterable<StreamClient>): number {
      revoked.set(event.jti, event.exp);
      return end(clients, (token) => token.jti === event.jti);
    },

    /** Records a retired signing key and ends this instance's streams opened with a token it signed. */
    retireKey(kid: string, clients: Iterable<StreamClient>): number {
      retiredKeys.add(kid);
      return end(clients, (token) => token.kid === kid);
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
