import { failureReason } from '../../src/local/health';
import { instanceNotes, type InstanceStatus } from '../../src/local/status';

const base: InstanceStatus = {
  index: 0,
  state: 'running',
  ready: true,
  port: 1,
  pid: 2,
  version: '1',
  since: '',
  memory_mb: 70,
  memory_quota_mb: 128,
  restarts: 0,
  crashes: 0,
};

describe('what scripts/status notes under an instance', () => {
  test("when /ready answers the kit's body, then the reason names each failed backing service and its error", () => {
    const body = JSON.stringify({
      status: 'unavailable',
      failed: ['users-db', 'event-bus'],
      checks: { 'users-db': 'error: connect ECONNREFUSED 127.0.0.1:6390', 'event-bus': 'timeout' },
    });
    expect(failureReason(503, body)).toBe('users-db: error: connect ECONNREFUSED 127.0.0.1:6390; event-bus: timeout');
    expect(failureReason(503, JSON.stringify({ status: 'draining', checks: {} }))).toBe('HTTP 503 (draining)');
    expect(failureReason(500, '<html>')).toBe('HTTP 500');
  });

  test('when an instance is at 90% of its memory quota or more, then a note says so; below, none', () => {
    expect(instanceNotes({ ...base, memory_mb: 116 })).toEqual(['memory 116M is 91% of its 128M quota']);
    expect(instanceNotes({ ...base, memory_mb: 114 })).toEqual([]);
  });

  test('when an instance stopped by the platform came back, then nothing is noted; when it crashed once, its last exit is', () => {
    const at = '2026-12-02T10:00:00.000Z';
    expect(
      instanceNotes({ ...base, last_exit: { reason: 'STOPPED', description: 'stopped by the platform', exit_status: 0, at } }),
    ).toEqual([]);
    expect(
      instanceNotes({ ...base, crashes: 1, last_exit: { reason: 'CRASHED', description: 'out of memory', exit_status: 'SIGKILL', at } }),
    ).toEqual([`last exit CRASHED (out of memory, exit_status SIGKILL) at ${at}`]);
  });
});
