export { freePort, startRedisServer, type RedisServer } from './redis-server';
export { allocateTestDatabase, closeTestRedis, testRedis, testRedisUrl } from './test-redis';
export { logSink, type LogSink } from './log-sink';
export { startStubServer, type StubHandler, type StubReply, type StubRequest, type StubServer } from './stub-server';
export { createTestTokens, TEST_AUDIENCE, TEST_ISSUER, type TestTokens } from './test-tokens';
export { fuzzRequests, type FuzzOptions, type FuzzRequest } from './openapi-fuzz';
export { describeRequest, runFuzz, type FuzzFinding } from './fuzz-run';
export { hostileAnswerProblem, SCRIPT_REQUEST_HEADERS, TEXT_BOMBS, type HostileKind } from './hostile-inputs';
