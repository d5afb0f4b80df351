import { pickRequestId } from '../../src/http/request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('pickRequestId', () => {
  test.each([['a'.repeat(20)], ['A'.repeat(200)], ['abc+/=-DEF0123456789xyz'], ['0b5a7e0c-6a1f-4d0e-9b7a-2f8c1d3e4a5b']])(
    'when X-Request-Id is the sane %s, then it is kept',
    (id) => {
      expect(pickRequestId({ 'x-request-id': id })).toBe(id);
    },
  );

  test('when only X-Vcap-Request-Id is sane, then it is taken', () => {
    const id = 'vcap-0123456789abcdefghij';
    expect(pickRequestId({ 'x-request-id': 'short', 'x-vcap-request-id': id })).toBe(id);
  });

  test.each([
    ['too short', 'a'.repeat(19)],
    ['too long', 'a'.repeat(201)],
    ['10 kB', 'a'.repeat(10_240)],
    ['control characters', `${'a'.repeat(20)}\u0007\u001b[31m`],
    ['a newline', `${'a'.repeat(20)}\nlevel=fatal`],
    ['spaces', `${'a'.repeat(10)} ${'a'.repeat(10)}`],
    ['other punctuation', `${'a'.repeat(20)};<script>`],
  ])('when the incoming id is %s, then a new id is made', (_, id) => {
    const picked = pickRequestId({ 'x-request-id': id, 'x-vcap-request-id': id });
    expect(picked).toMatch(UUID);
  });

  test('when the header is repeated (an array), then a new id is made', () => {
    expect(pickRequestId({ 'x-request-id': ['a'.repeat(20), 'b'.repeat(20)] as unknown as string })).toMatch(UUID);
  });

  test('when no id is sent, then each request gets a different one', () => {
    expect(pickRequestId({})).not.toBe(pickRequestId({}));
  });
});
