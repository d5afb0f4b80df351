import { createHashGate } from '../../src/domain/hash-gate';

/** Work that ends when the test says so. */
function held(): { promise: Promise<string>; finish: (value: string) => void } {
  let finish!: (value: string) => void;
  const promise = new Promise<string>((resolve) => (finish = resolve));
  return { promise, finish };
}

describe('createHashGate', () => {
  test('when more work comes than run at once, then it waits in order and starts as slots free', async () => {
    const gate = createHashGate({ concurrency: 1, queueLimit: 2, retryAfterSeconds: 1 });
    const started: string[] = [];
    const works = ['a', 'b', 'c'].map((name) => ({ name, ...held() }));
    const results = works.map((work) => gate.run(() => (started.push(work.name), work.promise)));

    const before = [...started];
    works[0]!.finish('A');
    await results[0];
    const afterFirst = [...started];
    works[1]!.finish('B');
    works[2]!.finish('C');

    expect([before, afterFirst, await Promise.all(results)]).toEqual([['a'], ['a', 'b'], ['A', 'B', 'C']]);
    expect(gate.load()).toEqual({ running: 0, waiting: 0 });
  });

  test('when the queue is full, then the next one is refused at once with 503 and Retry-After, without running', async () => {
    const gate = createHashGate({ concurrency: 1, queueLimit: 1, retryAfterSeconds: 3 });
    const first = held();
    const running = gate.run(() => first.promise);
    const waiting = gate.run(async () => 'second');
    let ran = false;

    const refused = await gate.run(async () => (ran = true)).catch((error: unknown) => error);
    first.finish('first');

    expect(refused).toEqual(expect.objectContaining({ status: 503, code: 'service_unavailable', headers: { 'Retry-After': '3' } }));
    expect(ran).toBe(false);
    expect(await Promise.all([running, waiting])).toEqual(['first', 'second']);
  });

  test('when work fails, then its slot is freed for the next', async () => {
    const gate = createHashGate({ concurrency: 1, queueLimit: 0, retryAfterSeconds: 1 });

    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');

    expect(await gate.run(async () => 'next')).toBe('next');
  });
});
