import supertest from 'supertest';
import { testApp } from '../support/app';

/** Records at info or above (the sink's logger is at debug, so probe lines are there at debug). */
const infoAndUp = (records: Array<Record<string, unknown>>) =>
  records.filter((record) => record.level !== 'debug' && record.level !== 'trace');

describe('platform probes in the log', () => {
  test('when the platform probes /health and /ready many times, then no info line is written and each answer is counted in /metrics', async () => {
    const { app, sink } = testApp([], { readiness: { redis: async () => 'PONG' } });
    const request = supertest(app.callback());
    for (let round = 0; round < 10; round += 1) {
      expect((await request.get('/health')).status).toBe(200);
      expect((await request.get('/ready')).status).toBe(200);
    }
    const metrics = (await request.get('/metrics')).text;
    expect(metrics).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/ready"[^}]*\} 10/);
    expect(metrics).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/health"[^}]*\} 10/);
    const probeLines = sink.records.filter((record) => record.msg === 'request' && (record.path === '/health' || record.path === '/ready'));
    expect([infoAndUp(probeLines), probeLines.length, probeLines.every((record) => record.probe === true)]).toEqual([[], 20, true]);
  });

  test('when /health or /ready is asked through a router (a real request), then its access line stays at info', async () => {
    const { app, sink } = testApp();
    await supertest(app.callback()).get('/health').set('X-Forwarded-For', '203.0.113.9').set('X-Request-Id', 'routed-health-0123456789');
    expect(sink.records.find((record) => record.request_id === 'routed-health-0123456789')).toMatchObject({
      level: 'info',
      msg: 'request',
      path: '/health',
    });
  });

  test('when a backing service fails for several probes and comes back, then exactly one warn line and one info line say so', async () => {
    let redisUp = true;
    const { app, sink } = testApp([], {
      readiness: {
        redis: async () => {
          if (!redisUp) throw new Error('connect ECONNREFUSED');
        },
      },
      readinessTimeoutMs: 200,
    });
    const request = supertest(app.callback());
    const statuses: number[] = [];
    // Not ready while starting (its connections are being made): not a change to warn about.
    for (const up of [false, false, true, true, false, false, false, true, true]) {
      redisUp = up;
      statuses.push((await request.get('/ready')).status);
    }
    expect(statuses).toEqual([503, 503, 200, 200, 503, 503, 503, 200, 200]);
    expect(infoAndUp(sink.records).map((record) => [record.level, record.msg, record.readiness])).toEqual([
      ['warn', 'not ready: unavailable: redis', 'unavailable: redis'],
      ['info', 'ready again', 'ready'],
    ]);
  });
});
