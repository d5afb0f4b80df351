import { loadAppConfig } from '@bundle/kit';
import { schema, workerSchema } from '../../src/config';

const load = (env: Record<string, string>) => loadAppConfig(schema, env, { app: 'messages', version: '1.0.0' }).settings;

describe('messages settings', () => {
  test('when nothing is set, then the documented bounds', () => {
    expect(load({})).toEqual(
      expect.objectContaining({ postRateLimit: 20, postRateWindowSeconds: 10, retentionDays: 30, maxLogLength: 100_000 }),
    );
    expect(loadAppConfig(workerSchema, {}, { app: 'messages-worker', version: '1.0.0' }).settings.maxMentions).toBe(20);
  });

  test('when the bounds are set, then they are used', () => {
    expect(
      load({ POST_RATE_LIMIT: '5', POST_RATE_WINDOW_SECONDS: '60', MESSAGES_RETENTION_DAYS: '7', MESSAGES_MAX_LENGTH: '1000' }),
    ).toEqual(expect.objectContaining({ postRateLimit: 5, postRateWindowSeconds: 60, retentionDays: 7, maxLogLength: 1000 }));
  });

  test.each(['POST_RATE_LIMIT', 'POST_RATE_WINDOW_SECONDS', 'MESSAGES_RETENTION_DAYS', 'MESSAGES_MAX_LENGTH'])(
    'when %s is 0 or not a number, then one line naming it',
    (variable) => {
      for (const value of ['0', '1x'])
        expect(() => load({ [variable]: value })).toThrow(new RegExp(`^${variable}: expected a positive whole number`));
    },
  );
});
