import type { BusEvent } from '@bundle/kit';
import { StreamClient, type Chunk, type StreamTarget } from '../../src/domain/client';
import { formatEvent } from '../../src/domain/sse';

/** A response whose socket accepts `capacity` bytes before write() says "full". */
function fakeTarget(capacity = Infinity) {
  const target = {
    written: [] as string[],
    writableLength: 0,
    ended: false,
    destroyed: false,
    write(chunk: Chunk) {
      target.written.push(String(chunk));
      target.writableLength += chunk.length;
      return target.writableLength <= capacity;
    },
    end() {
      target.ended = true;
    },
    destroy() {
      target.destroyed = true;
    },
  };
  return target satisfies StreamTarget;
}
const event = (id: string): BusEvent => ({ id, name: 'message.created', time: 't', payload: { id } });
const frames = (...events: BusEvent[]) => events.map(formatEvent).join('');

describe('StreamClient', () => {
  test('when live events arrive while catching up, then only those after the replayed id are written, once', () => {
    const target = fakeTarget();
    const client = new StreamClient(target, '1-0', 1000);
    client.deliver([event('2-0'), event('3-0')], frames(event('2-0'), event('3-0')));
    client.goLive('2-0');
    client.deliver([event('4-0')], frames(event('4-0')));
    expect(target.written).toEqual([frames(event('3-0')), frames(event('4-0'))]);
  });

  test('when a live batch holds events the client already has, then they are skipped', () => {
    const target = fakeTarget();
    const client = new StreamClient(target, '5-0', 1000);
    client.goLive('0');
    client.deliver([event('4-0'), event('5-0')], frames(event('4-0'), event('5-0')));
    client.deliver([event('5-1'), event('6-0')], frames(event('5-1'), event('6-0')));
    expect(target.written).toEqual([frames(event('5-1'), event('6-0'))]);
  });

  test('when a live client stops reading past the buffer bound, then it is dropped, not buffered', () => {
    const target = fakeTarget(100);
    const closed: string[] = [];
    const client = new StreamClient(target, '0', 150, (gone) => closed.push(gone.closeReason ?? ''));
    client.goLive('0');
    let sent = 0;
    while (client.send('x'.repeat(60))) sent += 1;
    expect({ sent, state: client.state, destroyed: target.destroyed, closed, afterDrop: client.send('more') }).toEqual({
      sent: 2,
      state: 'closed',
      destroyed: true,
      closed: ['slow'],
      afterDrop: false,
    });
  });

  test('when the process drains, then the response ends politely', () => {
    const target = fakeTarget();
    const client = new StreamClient(target, '0', 100);
    client.close('draining');
    expect({ ended: target.ended, destroyed: target.destroyed, state: client.state }).toEqual({
      ended: true,
      destroyed: false,
      state: 'closed',
    });
  });
});
