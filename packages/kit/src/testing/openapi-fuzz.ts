import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { SCRIPT_REQUEST_HEADERS, TEXT_BOMBS, type HostileKind } from './hostile-inputs';
import { loadDereferencedOpenApi } from './openapi-responses';

/**
 * A bounded fuzz of malformed requests derived from an app's openapi.yaml: every documented
 * operation, plus the kit's operational routes, gets wrong-typed parameters and bodies,
 * huge and deep bodies, bad encodings, odd headers and odd methods, and the hostile inputs
 * of hostile-inputs.ts (text bombs in every string of a body, a page's script asking without
 * credentials). The same seed makes the same requests, so a finding repeats. fuzz-run.ts
 * sends them and judges the answers.
 */

export interface FuzzRequest extends HostileKind {
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
type Security = Array<Record<string, unknown>>;
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
  security?: Security;
}

/** An operation that takes credentials (every requirement names a scheme): what answers them is the caller's. */
const needsCredentials = (security: Security | undefined): boolean =>
  security !== undefined && security.length > 0 && security.every((requirement) => Object.keys(requirement).length > 0);

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
  { ...SCRIPT_REQUEST_HEADERS },
  { 'User-Agent': 'evil\u009b2J\u0085', Referer: 'http://x/\u0090' },
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
  const document = loadDereferencedOpenApi(yamlPath) as { paths?: Record<string, Record<string, Operation>>; security?: Security };
  const paths: Record<string, Record<string, Operation>> = { ...document.paths };
  // The kit's operational routes take no credentials, whatever the document's default.
  for (const path of options.extraPaths ?? OPS_PATHS) paths[path] ??= { get: { security: [] } };
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
      // With the credentials, an answer to an operation that needs them is the caller's.
      const personal = needsCredentials(operation.security ?? document.security);

      if (takesBody)
        for (const fixed of fixedBodies())
          requests.push({ method: verb, path: sample, headers: { ...options.credentials, ...fixed.headers }, body: fixed.body, personal });
      // Every text bomb once in every string the body documents, as the only field.
      for (const [name, schema] of Object.entries(jsonBody?.schema?.properties ?? {}))
        if ((schema as { type?: unknown }).type === 'string')
          for (const [bomb, text] of TEXT_BOMBS)
            requests.push({
              method: verb,
              path: sample,
              headers: { ...options.credentials, 'Content-Type': 'application/json' },
              body: Buffer.from(JSON.stringify({ [name]: text })),
              bomb: `${bomb} in ${name}`,
              personal,
            });
      // A page's script asking without credentials, and with wrong Basic ones.
      const wrongBasic = `Basic ${Buffer.from('fuzz-nobody:not the password').toString('base64')}`;
      requests.push({ method: verb, path: sample, headers: { ...SCRIPT_REQUEST_HEADERS } });
      requests.push({ method: verb, path: sample, headers: { ...SCRIPT_REQUEST_HEADERS, Authorization: wrongBasic } });
      // Every odd value once in every path parameter and query parameter, whatever the draws.
      for (const value of WEIRD_SEGMENTS) {
        const headers = { ...options.credentials };
        if (template.includes('{')) requests.push({ method: verb, path: fill(template, [value]), headers, personal });
        for (const name of query)
          requests.push({ method: verb, path: `${sample}?${encodeURIComponent(name)}=${value}`, headers: { ...headers }, personal });
        for (const name of headerParameters)
          if (!value.includes('%') && value.length < 100)
            requests.push({ method: verb, path: sample, headers: { ...headers, [name]: value }, personal });
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
        const request: FuzzRequest = {
          method: verb,
          path: `${drawn.path}${search ? `?${search}` : ''}`,
          headers,
          personal: personal && drawn.withCredentials,
        };
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
