export { freePort, startRedisServer, type RedisServer } from './redis-server';
export { allocateTestDatabase, closeTestRedis, testRedis, testRedisUrl } from './test-redis';
export { logSink, type LogSink } from './log-sink';
export { startStubServer, type StubHandler, type StubReply, type StubRequest, type StubServer } from './stub-server';
export { createTestTokens, TEST_AUDIENCE, TEST_ISSUER, type TestTokens } from './test-tokens';
export { describeRequest, fuzzRequests, runFuzz, type FuzzFinding, type FuzzOptions, type FuzzRequest } from './openapi-fuzz';
