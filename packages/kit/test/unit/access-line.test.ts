import pino from 'pino';
import { accessLineWriter, type AccessFields } from '../../src/http/access-log';
import { createLogger } from '../../src/log';

const identity = { app: 'access-"test', instance: '2', version: '1.2.3' };
const fields: AccessFields = {
  requestId: 'req-0123456789abcdefghij',
  method: 'GET',
  route: '/api/users/:id',
  path: '/api/users/"42"\u00e9',
  status: 200,
  durationMs: 1.23456,
  bytes: 17,
};

/** A logger whose lines land in an array, as the kit's loggers are made. */
function capture(level: 'info' | 'warn' = 'info', options: pino.LoggerOptions = {}) {
  const lines: string[] = [];
  const stream = { write: (line: string) => void lines.push(line) };
  const base = Object.keys(options).length === 0 ? createLogger(identity, level, stream) : pino({ ...options, level }, stream);
  return { lines, logger: base.child({}, { redact: { paths: [] } }) };
}

const withoutTime = (line: string | undefined) => line?.replace(/"time":"[^"]*"/, '"time":"-"');

describe('access lines', () => {
  test('when written directly, then the line is byte for byte the one pino writes for the same fields', () => {
    const { lines, logger } = capture();
    accessLineWriter(logger)(fields);
    logger.info(
      {
        request_id: fields.requestId,
        method: fields.method,
        route: fields.route,
        path: fields.path,
        status: 200,
        duration_ms: 1.23,
        bytes: 17,
      },
      'request',
    );
    expect(lines).toHaveLength(2);
    expect(withoutTime(lines[0])).toBe(withoutTime(lines[1]));
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 'info',
      app: 'access-"test',
      path: '/api/users/"42"\u00e9',
      duration_ms: 1.23,
      msg: 'request',
    });
  });

  test('when the level is above info, then nothing is written', () => {
    const { lines, logger } = capture('warn');
    accessLineWriter(logger)(fields);
    expect(lines).toEqual([]);
  });

  test('when the logger has a mixin of flat fields (the OpenTelemetry pino instrumentation), then the line is byte for byte what pino writes with it', () => {
    const ids = { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7', trace_flags: '01' };
    const { lines, logger } = capture('info', {
      base: { app: 'x' },
      messageKey: 'msg',
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ids,
    });
    accessLineWriter(logger)(fields);
    logger.info(
      {
        request_id: fields.requestId,
        method: fields.method,
        route: fields.route,
        path: fields.path,
        status: 200,
        duration_ms: 1.23,
        bytes: 17,
      },
      'request',
    );
    expect(lines).toHaveLength(2);
    expect(withoutTime(lines[0])).toBe(withoutTime(lines[1]));
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ ...ids, request_id: fields.requestId });
  });

  test('when the logger has a mixin of nested values, then the line goes through pino and carries it', () => {
    const { lines, logger } = capture('info', { mixin: () => ({ extra: { from: 'mixin' } }) });
    accessLineWriter(logger)(fields);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      extra: { from: 'mixin' },
      request_id: fields.requestId,
      route: fields.route,
      msg: 'request',
    });
  });
});
