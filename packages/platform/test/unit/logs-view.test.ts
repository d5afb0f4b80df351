import { filterLogs, levelOf, noLinesFor, parseDuration, prettyLine, recentLines, type LogRecord } from '../../src';
import { logFilter, outputFormat } from '../../src/cli/logs';

const ID = 'view-0123456789abcdefghij';
const app = (time: string, fields: Record<string, unknown>, name = 'users'): LogRecord => ({
  time: '2026-01-01T10:00:00.900Z',
  app: name,
  source: 'APP/PROC/WEB/0',
  stream: 'OUT',
  line: JSON.stringify({ level: 30, time, app: name, instance: '0', version: '1', ...fields }),
});
const router = (time: string, status: number, id = ID): LogRecord => ({
  time,
  app: 'users',
  source: 'RTR/0',
  stream: 'OUT',
  line: `"localhost" - [${time}] "POST /api/users HTTP/1.1" ${status} 10 20 "-" "curl" "127.0.0.1:1" "127.0.0.1:2" x_forwarded_for:"127.0.0.1" x_forwarded_proto:"http" response_time:0.012 app_index:"0" x_request_id:"${id}"`,
});

describe('scripts/logs filters', () => {
  const records = [
    router('2026-01-01T10:00:00.500Z', 201),
    app('2026-01-01T10:00:00.400Z', { request_id: ID, method: 'POST', path: '/api/users', status: 201, duration_ms: 3, msg: 'request' }),
    app('2026-01-01T10:00:00.300Z', { level: 40, request_id: ID, msg: 'slow hash' }),
    app('2026-01-01T10:00:00.350Z', { request_id: 'other-0123456789abcdefghij', msg: 'request' }),
    router('2026-01-01T10:00:00.600Z', 502, 'other-0123456789abcdefghij'),
    {
      time: '2026-01-01T10:00:00.700Z',
      app: 'users',
      source: 'API/0',
      stream: 'OUT',
      line: 'web instance 0: exited (reason: CRASHED, exit_status: 1); restarting now (crash 1)',
    } satisfies LogRecord,
  ];

  test("when a request's lines are printed into a pipe, then each shows the time they were sorted by (the app's own), so the times read in order", () => {
    const printed = recentLines(records, { requestId: ID }).map(outputFormat(false, false));

    expect(printed.map((line) => line.slice(0, 24))).toEqual([
      '2026-01-01T10:00:00.300Z',
      '2026-01-01T10:00:00.400Z',
      '2026-01-01T10:00:00.500Z',
    ]);
    expect(recentLines(records, { requestId: ID }).map((record) => JSON.parse(outputFormat(true, false)(record)).time)).toEqual([
      '2026-01-01T10:00:00.300Z',
      '2026-01-01T10:00:00.400Z',
      '2026-01-01T10:00:00.500Z',
    ]);
  });

  test('when no line has the request id, then the line says so in those words', () => {
    expect([recentLines(records, { requestId: 'nobody-0123456789abcdefghij' }), noLinesFor('nobody')]).toEqual([
      [],
      'no lines for that id: no line of request nobody in the last lines the space keeps',
    ]);
  });

  test("when asked for a request id, then the router's and the apps' lines of that request only, in the order they were written", () => {
    expect(
      filterLogs(records, { requestId: ID }).map((record) => record.source + ' ' + (record.line.includes('slow') ? 'slow' : 'line')),
    ).toEqual(['APP/PROC/WEB/0 slow', 'APP/PROC/WEB/0 line', 'RTR/0 line']);
  });

  test('when lines of one request share a millisecond, then the called one (shorter) comes before the one that called it, whatever order they arrived in', () => {
    const at = '2026-01-01T10:00:00.400Z';
    const lines = [
      router(at, 201),
      app(at, { request_id: ID, method: 'POST', path: '/api/tokens', status: 200, duration_ms: 9, msg: 'request' }, 'tokens'),
      app(at, { request_id: ID, method: 'POST', path: '/verify', status: 200, duration_ms: 4, msg: 'request' }),
      app(at, { request_id: ID, msg: 'checking' }),
    ];
    expect(filterLogs(lines, { requestId: ID }).map((record) => `${record.app} ${record.source}`)).toEqual([
      'users APP/PROC/WEB/0',
      'users APP/PROC/WEB/0',
      'tokens APP/PROC/WEB/0',
      'users RTR/0',
    ]);
    expect(filterLogs(lines, { requestId: ID }).map((record) => (record.line.includes('checking') ? 'inner' : 'access'))[0]).toBe('inner');
  });

  test('when asked for warn and above, then app warnings, router 5xx and platform crash lines', () => {
    expect(filterLogs(records, { level: 40 }).map(levelOf)).toEqual([40, 50, 40]);
  });

  test('when asked for lines since a time, then only those from then on', () => {
    expect(filterLogs(records, { since: '2026-01-01T10:00:00.550Z' })).toHaveLength(2);
  });

  test.each([
    ['10m', 600_000],
    ['30s', 30_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['500ms', 500],
    ['10', undefined],
    ['m', undefined],
  ])('when --since is %j, then %j ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test('when a request, a level and a since are given, then the filter holds each (scripts/logs passes its options through logFilter)', () => {
    const now = Date.parse('2026-01-01T10:10:00.000Z');
    expect(logFilter({ app: 'users', request: ID, level: 'WARN', since: '10m' }, now)).toEqual({
      app: 'users',
      requestId: ID,
      level: 40,
      since: '2026-01-01T10:00:00.000Z',
    });
  });

  test.each([
    [{ request: '' }, '--request: expected a request id'],
    [{ level: 'loud' }, '--level loud: expected one of trace, debug, info, warn, error, fatal'],
    [{ since: '5 minutes' }, '--since 5 minutes: expected a duration such as 30s, 10m, 2h or 1d'],
  ])('when the options are %j, then the line that names the bad value', (options, line) => {
    expect(logFilter(options)).toBe(line);
  });

  test('when --since reaches back past the epoch, then it means everything kept (it threw a RangeError)', () => {
    const filter = logFilter({ since: '99999999999d' }, Date.parse('2026-01-01T10:10:00.000Z'));
    expect(typeof filter === 'object' && filter.since).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('the pretty line', () => {
  test("when an app's access line is shown, then time, level, app/instance, method path status duration and the request id", () => {
    expect(prettyLine(records()[0] as LogRecord, false)).toBe(`10:00:00.400 INFO  users/0           POST /api/users 201 3 ms  req=${ID}`);
  });

  test("when the router's line is shown, then the same request id and the instance it went to", () => {
    expect(prettyLine(router('2026-01-01T10:00:00.500Z', 201), false)).toBe(
      `10:00:00.500 INFO  router            POST /api/users 201 12.0 ms -> users/0  req=${ID}`,
    );
  });

  test('when an app logs other fields, then they follow the message as key=value', () => {
    expect(
      prettyLine(
        app('2026-01-01T10:00:00.300Z', { level: 40, msg: 'not ready: unavailable: redis', readiness: 'unavailable: redis' }),
        false,
      ),
    ).toBe('10:00:00.300 WARN  users/0           not ready: unavailable: redis  readiness="unavailable: redis"');
  });

  test('when the platform tells of an instance, then the line names the app', () => {
    expect(
      prettyLine(
        {
          time: '2026-01-01T10:00:00.700Z',
          app: 'users',
          source: 'API/0',
          stream: 'OUT',
          line: 'web instance 0: ready on port 1234 (80 ms)',
        },
        false,
      ),
    ).toBe('10:00:00.700 INFO  platform          users web instance 0: ready on port 1234 (80 ms)');
  });

  function records(): LogRecord[] {
    return [
      app('2026-01-01T10:00:00.400Z', {
        request_id: ID,
        method: 'POST',
        route: '/api/users',
        path: '/api/users',
        status: 201,
        duration_ms: 3,
        bytes: 9,
        msg: 'request',
      }),
    ];
  }
});

describe('scripts/logs output', () => {
  const record = app('2026-01-01T10:00:00.400Z', { request_id: ID, msg: 'request' });

  test('when --json, then each line is one JSON object a program can read back, at a terminal or not', () => {
    for (const terminal of [true, false]) expect(JSON.parse(outputFormat(true, terminal)(record))).toEqual(record);
  });

  test("when not --json and not a terminal, then the cf-style line: time, app, source, stream, the app's own line", () => {
    expect(outputFormat(false, false)(record)).toBe(`2026-01-01T10:00:00.900Z users [APP/PROC/WEB/0] OUT ${record.line}`);
  });
});
