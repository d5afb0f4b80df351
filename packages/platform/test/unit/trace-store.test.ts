import { spansOf, type StoredSpan } from '../../src/local/telemetry/spans';
import { TraceStore } from '../../src/local/telemetry/trace-store';
import { renderWaterfall, waterfallRows } from '../../src/local/telemetry/waterfall';
import { routerSpan, routerTrace } from '../../src/local/telemetry/trace-context';

const T1 = '4bf92f3577b34da6a3ce929d0e0e4736';
const T2 = '0af7651916cd43dd8448eb211c80319c';

function span(traceId: string, spanId: string, fields: Partial<StoredSpan> = {}): StoredSpan {
  return {
    traceId,
    spanId,
    name: 'GET /',
    kind: 1,
    start: 1000,
    end: 1001,
    service: 'users',
    scope: 'x',
    attributes: {},
    links: [],
    ...fields,
  };
}

describe('spansOf', () => {
  test('when an export is decoded, then each span is flattened with its service, instance, times in ms and plain attributes', () => {
    const [stored] = spansOf({
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'tokens' } },
              { key: 'cloudfoundry.app.instance.id', value: { stringValue: '1' } },
            ],
          },
          scopeSpans: [
            {
              scope: { name: '@bundle/kit' },
              spans: [
                {
                  traceId: T1,
                  spanId: '00f067aa0ba902b7',
                  parentSpanId: 'b7ad6b7169203331',
                  name: 'POST /api/tokens',
                  kind: 2,
                  startTimeUnixNano: '1796688521295123456',
                  endTimeUnixNano: '1796688521296837990',
                  attributes: [
                    { key: 'http.response.status_code', value: { intValue: '201' } },
                    { key: 'request_id', value: { stringValue: 'req-1' } },
                  ],
                  status: { code: 2, message: 'boom' },
                  links: [{ traceId: T2, spanId: 'b7ad6b7169203331' }],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(stored).toEqual({
      traceId: T1,
      spanId: '00f067aa0ba902b7',
      parentSpanId: 'b7ad6b7169203331',
      name: 'POST /api/tokens',
      kind: 2,
      start: 1796688521295.123,
      end: 1796688521296.837,
      service: 'tokens',
      instance: '1',
      scope: '@bundle/kit',
      attributes: { 'http.response.status_code': 201, request_id: 'req-1' },
      status: { code: 2, message: 'boom' },
      links: [{ traceId: T2, spanId: 'b7ad6b7169203331' }],
    });
  });
});

describe('TraceStore', () => {
  test('when spans of a request arrive from several apps, then the trace is found by trace id and by request id, in time order', () => {
    const store = new TraceStore();
    store.add([span(T1, 'b000000000000002', { start: 1002, kind: 2, service: 'users', attributes: { request_id: 'req-1' } })]);
    store.add([
      span(T1, 'a000000000000001', {
        start: 1000,
        end: 1010,
        kind: 2,
        service: 'tokens',
        attributes: { request_id: 'req-1', 'http.route': '/api/tokens', 'http.request.method': 'POST', 'http.response.status_code': 201 },
      }),
    ]);
    expect(store.find(T1)?.map((held) => held.service)).toEqual(['tokens', 'users']);
    expect(store.find('req-1')).toEqual(store.find(T1));
    expect(store.find('nope')).toBeUndefined();
    expect(store.recent()).toEqual([
      expect.objectContaining({
        traceId: T1,
        requestId: 'req-1',
        service: 'tokens',
        route: '/api/tokens',
        method: 'POST',
        status: 201,
        durationMs: 10,
        spans: 2,
      }),
    ]);
  });

  test('when the spans held pass the budget, then whole traces go, the least recently added first, and the bytes stay within it', () => {
    const store = new TraceStore(20_000);
    for (let trace = 0; trace < 100; trace += 1) {
      const traceId = trace.toString(16).padStart(32, '0');
      store.add(
        [0, 1, 2].map((index) =>
          span(traceId, `${index}`.padStart(16, 'f'), { kind: index === 0 ? 2 : 1, attributes: { request_id: `req-${trace}` } }),
        ),
      );
    }
    expect(store.bytes).toBeLessThanOrEqual(20_000);
    expect(store.size).toBeGreaterThan(3);
    expect(store.size).toBeLessThan(100);
    expect(store.evictedSpans).toBe(3 * (100 - store.size));
    expect(store.find('req-99')).toHaveLength(3); // the newest stays whole
    expect(store.find('req-0')).toBeUndefined();
  });

  test('when a batch is sent again, then its spans are kept once', () => {
    const store = new TraceStore();
    const batch = [span(T1, 'a000000000000001')];
    store.add(batch);
    store.add(batch);
    expect(store.find(T1)).toHaveLength(1);
  });
});

describe('waterfall', () => {
  const spans = [
    span(T1, 'a000000000000001', {
      name: 'POST /api/tokens',
      kind: 2,
      start: 0,
      end: 40,
      service: 'tokens',
      instance: '0',
      attributes: { request_id: 'req-1' },
    }),
    span(T1, 'b000000000000002', {
      name: 'POST',
      kind: 3,
      parentSpanId: 'a000000000000001',
      start: 5,
      end: 35,
      service: 'tokens',
      instance: '0',
    }),
    span(T1, 'c000000000000003', {
      name: 'POST /internal/credentials',
      kind: 2,
      parentSpanId: 'b000000000000002',
      start: 10,
      end: 30,
      service: 'users',
      instance: '0',
    }),
    span(T1, 'd000000000000004', {
      name: 'hget',
      kind: 3,
      parentSpanId: 'c000000000000003',
      start: 12,
      end: 13,
      service: 'users',
      instance: '0',
      status: { code: 2, message: 'gone' },
    }),
    span(T1, 'e000000000000005', {
      name: 'deliver message.created',
      kind: 5,
      parentSpanId: 'a000000000000001',
      start: 38,
      end: 39,
      service: 'push',
      links: [{ traceId: T1, spanId: 'a000000000000001' }],
    }),
  ];

  test('when a trace has spans of several apps, then each sits under its parent, children by start', () => {
    expect(waterfallRows([...spans].reverse()).map((row) => [row.depth, row.span.name, row.offsetMs])).toEqual([
      [0, 'POST /api/tokens', 0],
      [1, 'POST', 5],
      [2, 'POST /internal/credentials', 10],
      [3, 'hget', 12],
      [1, 'deliver message.created', 38],
    ]);
  });

  test('when rendered for a terminal, then one line a span: offset, duration, a bar on one scale, service, indented name, kind, errors and links', () => {
    const lines = renderWaterfall(spans, { width: 20 }).split('\n');
    expect(lines[0]).toBe(`trace ${T1}  request req-1  40.0 ms, 5 spans, 3 services`);
    expect(lines[1]).toBe(`     0.00 ms      40.0 ms |████████████████████| tokens/0  POST /api/tokens [server]`);
    expect(lines[3]).toBe(`     10.0 ms      20.0 ms |     ██████████     | users/0       POST /internal/credentials [server]`);
    expect(lines[4]).toBe(`     12.0 ms      1.00 ms |      █             | users/0         hget [client]  ERROR gone`);
    expect(lines[5]).toBe(
      `     38.0 ms      1.00 ms |                   █| push        deliver message.created [consumer]  (linked to POST /api/tokens)`,
    );
  });
});

describe('routerTrace (gorouter with W3C tracing)', () => {
  const ids = (...values: string[]) => {
    const queue = [...values];
    return () => queue.shift() ?? 'ffffffffffffffff';
  };

  test('when the request brings a valid traceparent, then the trace and flags go on, with the router as a new span and gorouter first in tracestate', () => {
    const trace = routerTrace(
      { traceparent: `00-${T1}-00f067aa0ba902b7-00`, tracestate: 'gorouter=1111111111111111, vendor=abc' },
      ids('b7ad6b7169203331'),
    );
    expect(trace).toEqual({
      traceId: T1,
      spanId: 'b7ad6b7169203331',
      parentSpanId: '00f067aa0ba902b7',
      flags: '00',
      traceparent: `00-${T1}-b7ad6b7169203331-00`,
      tracestate: 'gorouter=b7ad6b7169203331,vendor=abc',
    });
  });

  test.each([
    undefined,
    'garbage',
    `ff-${T1}-00f067aa0ba902b7-01`,
    `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
    `00-${T1}-00f067aa0ba902b7-01-extra`,
  ])('when the traceparent is %j, then a new sampled trace starts and the incoming tracestate is dropped', (traceparent) => {
    const trace = routerTrace({ traceparent, tracestate: 'vendor=abc' }, ids(T2, 'b7ad6b7169203331'));
    expect(trace).toEqual({
      traceId: T2,
      spanId: 'b7ad6b7169203331',
      flags: '01',
      traceparent: `00-${T2}-b7ad6b7169203331-01`,
      tracestate: 'gorouter=b7ad6b7169203331',
    });
  });

  test('when the router answers, then its span names the method and path, the status, the request id and the app', () => {
    const trace = routerTrace({ traceparent: `00-${T1}-00f067aa0ba902b7-01` }, ids('b7ad6b7169203331'));
    expect(
      routerSpan(trace, {
        method: 'POST',
        path: '/api/tokens',
        requestId: 'req-1',
        start: 1,
        end: 5,
        status: 502,
        app: 'tokens',
        instance: '0',
      }),
    ).toEqual({
      traceId: T1,
      spanId: 'b7ad6b7169203331',
      parentSpanId: '00f067aa0ba902b7',
      name: 'POST /api/tokens',
      kind: 2,
      start: 1,
      end: 5,
      service: 'router',
      scope: '@bundle/platform',
      attributes: {
        'http.request.method': 'POST',
        'url.path': '/api/tokens',
        'http.response.status_code': 502,
        request_id: 'req-1',
        'cloudfoundry.app.name': 'tokens',
        'cloudfoundry.app.instance.id': '0',
      },
      status: { code: 2 },
      links: [],
    });
  });
});
