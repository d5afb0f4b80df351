import { loadAppConfig, ConfigError } from '@bundle/kit';
import { schema } from '../../src/config';

const load = (env: Record<string, string>) => loadAppConfig(schema, env, { app: 'push', version: '0.0.0' });

describe('push config', () => {
  test('when nothing is set, then the contract defaults apply', () => {
    const { settings } = load({});
    expect(settings).toMatchObject({
      jwksUrl: 'http://127.0.0.1:8080/.well-known/jwks.json',
      tokenIssuer: 'urn:chat:tokens',
      tokenAudience: 'urn:chat:api',
      heartbeatSeconds: 15,
      maxClientBufferBytes: 65_536,
      maxStreamsPerUser: 10,
      maxStreams: 10_000,
      presenceOfflineGraceSeconds: 5,
      presenceCooldownSeconds: 30,
      maxReplayEvents: 500,
    });
  });

  test('when PRESENCE_COOLDOWN_SECONDS or MAX_REPLAY_EVENTS is set, then it is taken; a wrong value is refused by name', () => {
    expect(load({ PRESENCE_COOLDOWN_SECONDS: '0' }).settings.presenceCooldownSeconds).toBe(0);
    expect(() => load({ PRESENCE_COOLDOWN_SECONDS: '-1' })).toThrow(/^PRESENCE_COOLDOWN_SECONDS: /);
    expect(load({ MAX_REPLAY_EVENTS: '50' }).settings.maxReplayEvents).toBe(50);
    expect(() => load({ MAX_REPLAY_EVENTS: '0' })).toThrow(/^MAX_REPLAY_EVENTS: /);
  });

  test('when PRESENCE_OFFLINE_GRACE_SECONDS is set, then 0 (offline at once) is allowed and a non-number is refused by name', () => {
    expect(load({ PRESENCE_OFFLINE_GRACE_SECONDS: '0' }).settings.presenceOfflineGraceSeconds).toBe(0);
    expect(() => load({ PRESENCE_OFFLINE_GRACE_SECONDS: '5s' })).toThrow(/^PRESENCE_OFFLINE_GRACE_SECONDS: /);
  });

  test('when MAX_STREAMS_PER_USER is set, then it is the per-user stream limit; 0 is refused', () => {
    expect(load({ MAX_STREAMS_PER_USER: '3' }).settings.maxStreamsPerUser).toBe(3);
    expect(() => load({ MAX_STREAMS_PER_USER: '0' })).toThrow(/^MAX_STREAMS_PER_USER: /);
  });

  test('when HEARTBEAT_SECONDS is not a whole number, then one error names it', () => {
    expect(() => load({ HEARTBEAT_SECONDS: 'soon' })).toThrow(ConfigError);
    expect(() => load({ HEARTBEAT_SECONDS: 'soon' })).toThrow(/^HEARTBEAT_SECONDS: /);
  });
});

describe('JWKS_URL', () => {
  test('when it is not an http URL, then one error names it', () => {
    expect(() => load({ JWKS_URL: 'ftp://keys' })).toThrow(/^JWKS_URL: expected an http/);
  });
});
