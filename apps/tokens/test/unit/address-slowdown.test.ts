import { AddressSlowdown, MAX_DELAY_MS, SLOWED_CONCURRENT, SLOWED_WAITING } from '../../src/domain/address-slowdown';

describe('the slowdown of addresses past their failure limit', () => {
  test('when failures go on past the limit, then the hold grows by a step each and stops at the maximum', () => {
    const slowdown = new AddressSlowdown({ stepMs: 1000, maxDelayMs: MAX_DELAY_MS });
    expect([0, 1, 2, 3, 4, 5, 500].map((past) => slowdown.delayMs(past))).toEqual([1000, 2000, 3000, 4000, 5000, 5000, 5000]);
  });

  test('when an address holds every place of its lane, then its next login is refused at once, and another address is not held up', async () => {
    const slowdown = new AddressSlowdown();
    const running = await Promise.all(Array.from({ length: SLOWED_CONCURRENT }, () => slowdown.take('office')));
    const waiting = Array.from({ length: SLOWED_WAITING }, () => slowdown.take('office'));

    const refused = await slowdown.take('office');
    const elsewhere = await slowdown.take('home');

    expect([refused, typeof elsewhere, slowdown.size]).toEqual([undefined, 'function', SLOWED_CONCURRENT + SLOWED_WAITING + 1]);
    elsewhere?.();
    for (const end of running) end?.();
    for (const turn of waiting) (await turn)?.(); // each hands its place to the next in line
    expect(slowdown.size).toBe(0);
  });

  test('when the instance already carries its bound of slowed logins, then a login of any slowed address is refused at once', async () => {
    const slowdown = new AddressSlowdown({ inFlightLimit: 3 });
    const taken = await Promise.all(['a', 'b', 'c'].map((address) => slowdown.take(address)));

    const refused = await slowdown.take('d');
    taken[0]?.();
    const afterOneEnded = await slowdown.take('d');

    expect([refused, typeof afterOneEnded]).toEqual([undefined, 'function']);
    afterOneEnded?.();
    for (const end of taken) end?.(); // ending twice gives back nothing more
    expect(slowdown.size).toBe(0);
  });
});
