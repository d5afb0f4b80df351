import { LoginTurns } from '../../src/domain/login-turns';

describe('login turns of one (nickname, address) pair', () => {
  test('when three take a turn with room for two, then the third waits until one ends, and turns pass in the order they were asked', async () => {
    const turns = new LoginTurns(2, 8);
    const order: string[] = [];
    const first = await turns.take('pair');
    const second = await turns.take('pair');
    const third = turns.take('pair').then((end) => (order.push('third'), end));
    const fourth = turns.take('pair').then((end) => (order.push('fourth'), end));
    await Promise.resolve();
    expect(order).toEqual([]);
    first?.();
    (await third)?.();
    second?.();
    (await fourth)?.();
    expect(order).toEqual(['third', 'fourth']);
    expect(turns.size).toBe(0);
  });

  test('when the waiting line is full, then the next is refused at once, and another pair is not held up', async () => {
    const turns = new LoginTurns(1, 2);
    const running = await turns.take('busy');
    const waiting = [turns.take('busy'), turns.take('busy')];
    expect(await turns.take('busy')).toBeUndefined();
    const elsewhere = await turns.take('other');
    expect(typeof elsewhere).toBe('function');
    elsewhere?.();
    running?.();
    for (const turn of waiting) (await turn)?.();
    expect(turns.size).toBe(0);
  });

  test('when a turn is ended twice, then it hands over only one place', async () => {
    const turns = new LoginTurns(1, 8);
    const end = await turns.take('pair');
    const next = turns.take('pair');
    const after = turns.take('pair');
    end?.();
    end?.();
    const nextEnd = await next;
    let afterStarted = false;
    void after.then(() => (afterStarted = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(afterStarted).toBe(false);
    nextEnd?.();
    (await after)?.();
    expect(turns.size).toBe(0);
  });
});
