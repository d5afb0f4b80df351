import type { IncomingMessage } from 'node:http';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type supertest from 'supertest';
import type { Response } from 'supertest';
import { loadDereferencedOpenApi } from './openapi-responses';

/**
 * A bounded fuzz of malformed requests derived from an app's openapi.yaml: every documented
 * operation, plus the kit's operational routes, gets wrong-typed parameters and bodies,
 * huge and deep bodies, bad encodings, odd headers and odd methods. The same seed makes
 * the same requests, so a finding repeats.
 */

export interface FuzzRequest {
  method: string;
  /** Path and query, already encoded. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface FuzzOptions {
  seed: number;
  /** Random requests per documented operation (the fixed ones come on top). */
  perOperation: number;
  /** Headers that make a request authenticated (a valid bearer token, a service key...). */
  credentials: Record<string, string>;
  /** Routes that every app serves but an app's document may not list. */
  extraPaths?: string[];
}

interface Parameter {
  name: string;
  in: string;
  schema?: { type?: unknown };
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}

const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'patch'];
/** Methods a router may not know: each must be a 4xx (405/501 are the server's to choose; 501 is checked apart). */
export const ODD_METHODS = ['HEAD', 'OPTIONS', 'TRACE', 'PUT', 'PATCH', 'DELETE', 'POST', 'PROPFIND', 'SEARCH', 'CONNECT'];
const OPS_PATHS = ['/health', '/ready', '/version', '/metrics', '/openapi.json'];

/** Values a path segment or query parameter should never choke on (already encoded). */
const WEIRD_SEGMENTS = [
  '',
  '%00',
  '%ZZ',
  '%E0%A4%A',
  '%C0%AF',
  '%FF%FE',
  '..%2F..%2Fetc%2Fpasswd',
  '-1',
  '1e309',
  'NaN',
  '0-0',
  '0-1',
  '99999999999999999999-99999999999999999999',
  '18446744073709551616-0',
  '18446744073709551615-18446744073709551615',
  '1-',
  '-',
  '%2A',
  '%F0%9F%92%A9',
  'a'.repeat(4096),
  '__proto__',
  'constructor',
];

const DEEP = 100_000;
/** Over every app's body limit (kilobytes), and over 1 MB besides. */
const HUGE = 1536 * 1024;

/** The request bodies every operation that takes one is sent, whatever its schema. */
function fixedBodies(): { name: string; headers: Record<string, string>; body: Buffer }[] {
  const json = { 'Content-Type': 'application/json' };
  return [
    { name: 'gzip garbage', headers: { ...json, 'Content-Encoding': 'gzip' }, body: Buffer.from('this is not gzip at all') },
    { name: 'deflate garbage', headers: { ...json, 'Content-Encoding': 'deflate' }, body: Buffer.from([0x78, 0x9c, 0xff, 0x00, 0x13]) },
    { name: 'brotli garbage', headers: { ...json, 'Content-Encoding': 'br' }, body: Buffer.from([0xff, 0xff, 0xff]) },
    { name: 'unknown encoding', headers: { ...json, 'Content-Encoding': 'x-made-up' }, body: Buffer.from('{}') },
    { name: 'gzip bomb', headers: { ...json, 'Content-Encoding': 'gzip' }, body: gzipSync(Buffer.alloc(HUGE, 0x20)) },
    { name: 'deep arrays', headers: json, body: Buffer.from(`${'['.repeat(DEEP)}${']'.repeat(DEEP)}`) },
    { name: 'deep objects', headers: json, body: Buffer.from(`${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`) },
    { name: 'huge string', headers: json, body: Buffer.from(JSON.stringify({ text: 'x'.repeat(HUGE) })) },
    { name: 'truncated json', headers: json, body: Buffer.from('{"text": "abc') },
    {
      name: 'invalid utf-8',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d]),
    },
    { name: 'unknown charset', headers: { 'Content-Type': 'application/json; charset=x-bogus' }, body: Buffer.from('{}') },
    { name: 'utf-16 charset', headers: { 'Content-Type': 'application/json; charset=utf-16' }, body: Buffer.from('{}', 'utf16le') },
    { name: 'bom', headers: json, body: Buffer.from('\uFEFF{}') },
    { name: 'form', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: Buffer.from('a=1&a=2&b[c]=3&%ZZ=%') },
    { name: 'multipart', headers: { 'Content-Type': 'multipart/form-data; boundary=x' }, body: Buffer.from('--x\r\nbroken') },
    { name: 'no content type', headers: {}, body: Buffer.from('{"a":1}') },
    { name: 'content type without subtype', headers: { 'Content-Type': 'application' }, body: Buffer.from('{}') },
    { name: 'proto pollution', headers: json, body: Buffer.from('{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}') },
    { name: 'huge number', headers: json, body: Buffer.from('{"a":1e400,"b":-1e400,"c":123456789012345678901234567890}') },
    { name: 'top-level null', headers: json, body: Buffer.from('null') },
    { name: 'top-level string', headers: json, body: Buffer.from('"text"') },
    { name: 'top-level array', headers: json, body: Buffer.from('[]') },
  ];
}

/** Header sets that are wrong in some way; auth ones replace the credentials. */
const oddHeaders = fc.constantFrom<Record<string, string>>(
  { Authorization: 'Bearer' },
  { Authorization: 'Bearer a.b.c' },
  { Authorization: `Bearer ${'x'.repeat(8000)}` },
  { Authorization: 'Basic' },
  { Authorization: 'Basic !!!!' },
  { Authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` },
  { Authorization: `Basic ${Buffer.from(':').toString('base64')}` },
  { Authorization: `Basic ${Buffer.from([0xff, 0x3a, 0xfe]).toString('base64')}` },
  { Authorization: 'Digest username="x"' },
  { 'X-Request-Id': 'x'.repeat(4000) },
  { 'X-Request-Id': '' },
  { 'Last-Event-ID': '99999999999999999999-99999999999999999999' },
  { 'Last-Event-ID': 'not-an-id' },
  { Accept: 'application/xml' },
  { Accept: '*/*;q=bogus' },
  { 'Accept-Encoding': 'gzip;q=x, br, zstd, identity;q=0' },
  { 'If-None-Match': '"' },
  { 'If-Modified-Since': 'yesterday' },
  { Range: 'bytes=999999-1' },
  { 'X-Forwarded-For': 'not-an-ip, ::1, 999.1.1.1' },
  { 'X-Forwarded-Proto': 'gopher' },
  { Cookie: 'access_token=%ZZ; a=b; ===' },
  { 'Content-Type': 'application/json' },
);

/** A body of the documented shape with wrong types, odd keys or nothing at all. */
function wrongBody(properties: Record<string, unknown>): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.jsonValue(), { maxLength: 5 }),
    fc.object({ maxDepth: 2 }),
    fc.string({ unit: 'binary' }),
    fc.string({ minLength: 3000, maxLength: 5000 }),
  );
  const keys = Object.keys(properties);
  const shaped = keys.length > 0 ? fc.record(Object.fromEntries(keys.map((key) => [key, wrong])), { requiredKeys: [] }) : fc.constant({});
  return fc.oneof(shaped, fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.string(), wrong, { maxKeys: 5 }));
}

function fill(template: string, values: string[]): string {
  let index = 0;
  return template.replace(/\{[^}]+\}/g, () => values[index++ % values.length] ?? 'x');
}

/** Every request of the fuzz, in a fixed order. */
export function fuzzRequests(yamlPath: string, options: FuzzOptions): FuzzRequest[] {
  const document = loadDereferencedOpenApi(yamlPath) as { paths?: Record<string, Record<string, Operation>> };
  const paths: Record<string, Record<string, Operation>> = { ...document.paths };
  for (const path of options.extraPaths ?? OPS_PATHS) paths[path] ??= { get: {} };
  const requests: FuzzRequest[] = [];
  let seed = options.seed;

  for (const [template, item] of Object.entries(paths)) {
    const segments = fc.oneof(fc.constantFrom(...WEIRD_SEGMENTS), fc.string({ unit: 'binary', maxLength: 50 }).map(encodeURIComponent));
    const sample = fill(template, ['x']);
    // Odd methods on the path, with and without credentials.
    for (const method of ODD_METHODS) {
      requests.push({ method, path: sample, headers: { ...options.credentials } });
      requests.push({ method, path: fill(template, ['%ZZ']), headers: {} });
    }
    for (const [method, operation] of Object.entries(item)) {
      if (!OPERATION_METHODS.includes(method)) continue;
      const verb = method.toUpperCase();
      const query = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
      const headerParameters = (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'header')
        .map((parameter) => parameter.name);
      const jsonBody = operation.requestBody?.content?.['application/json'];
      const takesBody = jsonBody !== undefined || method !== 'get';

      if (takesBody)
        for (const fixed of fixedBodies())
          requests.push({ method: verb, path: sample, headers: { ...options.credentials, ...fixed.headers }, body: fixed.body });
      // Every odd value once in every path parameter and query parameter, whatever the draws.
      for (const value of WEIRD_SEGMENTS) {
        if (template.includes('{')) requests.push({ method: verb, path: fill(template, [value]), headers: { ...options.credentials } });
        for (const name of query)
          requests.push({ method: verb, path: `${sample}?${encodeURIComponent(name)}=${value}`, headers: { ...options.credentials } });
        for (const name of headerParameters)
          if (!value.includes('%') && value.length < 100)
            requests.push({ method: verb, path: sample, headers: { ...options.credentials, [name]: value } });
      }

      const arbitrary = fc.record({
        path: fc.array(segments, { minLength: 1, maxLength: 3 }).map((values) => fill(template, values)),
        query: fc.array(fc.tuple(fc.constantFrom(...query, 'unknown', '__proto__'), segments), { maxLength: 4 }),
        withCredentials: fc.boolean(),
        headers: fc.oneof(oddHeaders, fc.constant({})),
        headerValues: fc.array(
          fc.tuple(
            fc.constantFrom(...headerParameters, 'X-Unknown'),
            fc.constantFrom(...WEIRD_SEGMENTS.filter((value) => !value.includes('%'))),
          ),
          { maxLength: 2 },
        ),
        body: takesBody ? fc.option(wrongBody(jsonBody?.schema?.properties ?? {}), { nil: undefined }) : fc.constant(undefined),
      });
      for (const drawn of fc.sample(arbitrary, { seed: seed++, numRuns: options.perOperation })) {
        const search = drawn.query.map(([name, value]) => `${encodeURIComponent(name)}=${value}`).join('&');
        const headers: Record<string, string> = {
          ...(drawn.withCredentials ? options.credentials : {}),
          ...Object.fromEntries(drawn.headerValues),
          ...drawn.headers,
        };
        const request: FuzzRequest = { method: verb, path: `${drawn.path}${search ? `?${search}` : ''}`, headers };
        if (drawn.body !== undefined) {
          request.body = Buffer.from(JSON.stringify(drawn.body) ?? 'null');
          headers['Content-Type'] ??= 'application/json';
        }
        requests.push(request);
      }
    }
  }
  return requests;
}

/** One line that repeats the request by hand (bodies over 200 bytes are described, not shown). */
export function describeRequest(request: FuzzRequest): string {
  const headers = Object.entries(request.headers).map(
    ([name, value]) => `${name}: ${value.length > 80 ? `${value.slice(0, 40)}…(${value.length} chars)` : value}`,
  );
  const body = request.body
    ? request.body.length > 200
      ? ` body(${request.body.length} bytes, starts ${JSON.stringify(request.body.subarray(0, 40).toString('latin1'))})`
      : ` body ${JSON.stringify(request.body.toString('latin1'))}`
    : '';
  const path = request.path.length > 200 ? `${request.path.slice(0, 100)}…(${request.path.length} chars)` : request.path;
  return `${request.method} ${path}${headers.length ? ` [${headers.join('; ')}]` : ''}${body}`;
}

/** Reads a response without waiting for an event stream to end: its first bytes are enough. */
function readAtMost(response: Response, done: (error: Error | null, body: Buffer) => void): void {
  // superagent hands a parser the raw IncomingMessage, whatever its declared type.
  const stream = response as unknown as IncomingMessage;
  if (String(stream.headers['content-type']).startsWith('text/event-stream')) {
    done(null, Buffer.alloc(0));
    stream.destroy();
    return;
  }
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

export interface FuzzFinding {
  /** The first request that showed the problem. */
  request: string;
  problem: string;
  /** How many requests of the same method showed the same problem. */
  times: number;
}

/**
 * Sends every request one after the other and returns what went wrong: a 5xx, no answer
 * within timeoutMs (a hang), or a response that breaks openapi.yaml (when the service
 * project's response check is on). Connection resets after a huge body count as answers.
 */
export async function runFuzz(agent: ReturnType<typeof supertest>, requests: FuzzRequest[], timeoutMs: number): Promise<FuzzFinding[]> {
  const findings = new Map<string, FuzzFinding>();
  const found = (request: FuzzRequest, problem: string): void => {
    const key = `${request.method} ${problem.replace(/\d{4,}/g, 'N')}`;
    const seen = findings.get(key);
    if (seen) seen.times += 1;
    else findings.set(key, { request: describeRequest(request), problem, times: 1 });
  };
  for (const request of requests) {
    const method = request.method.toLowerCase() as 'get';
    let test = agent[method](request.path).timeout({ response: timeoutMs, deadline: timeoutMs }).buffer(true).parse(readAtMost);
    for (const [name, value] of Object.entries(request.headers)) test = test.set(name, value);
    // superagent would JSON-serialize a Buffer sent as application/json; the bytes go as they are.
    if (request.body) test = test.serialize((bytes: unknown) => bytes as string).send(request.body);
    try {
      const response: Response = await test;
      if (response.status >= 500)
        found(request, `${response.status} ${Buffer.isBuffer(response.body) ? response.body.subarray(0, 300).toString('utf8') : ''}`);
    } catch (error) {
      const failure = error as Error & { timeout?: number; code?: string; status?: number };
      if (failure.timeout) found(request, `no answer within ${timeoutMs} ms`);
      else if (failure.code !== 'ECONNRESET' && failure.code !== 'EPIPE') found(request, failure.message);
    }
  }
  return [...findings.values()];
}
