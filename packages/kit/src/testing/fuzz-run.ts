import type { IncomingMessage } from 'node:http';
import type supertest from 'supertest';
import type { Response } from 'supertest';
import { hostileAnswerProblem } from './hostile-inputs';
import type { FuzzRequest } from './openapi-fuzz';

/**
 * Sends the fuzz's requests and judges the answers (openapi-fuzz.ts draws them): a 5xx, no
 * answer, an answer that breaks openapi.yaml, or one that fails a hostile-input check
 * (hostile-inputs.ts) is a finding that names the request.
 */

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

/** A JSON answer's body, parsed; undefined for any other. */
function jsonOf(response: Response): unknown {
  if (!/[/+]json\b/i.test(String(response.headers['content-type'])) || !Buffer.isBuffer(response.body)) return undefined;
  try {
    return JSON.parse(response.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Sends every request one after the other and returns what went wrong: a 5xx, no answer
 * within timeoutMs (a hang), a response that breaks openapi.yaml (when the service
 * project's response check is on), or one that fails a hostile-input check
 * (hostile-inputs.ts). Connection resets after a huge body count as answers.
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
      const problem = hostileAnswerProblem(request, { status: response.status, headers: response.headers, body: jsonOf(response) });
      if (problem) found(request, problem);
    } catch (error) {
      const failure = error as Error & { timeout?: number; code?: string; status?: number };
      if (failure.timeout) found(request, `no answer within ${timeoutMs} ms`);
      else if (failure.code !== 'ECONNRESET' && failure.code !== 'EPIPE') found(request, failure.message);
    }
  }
  return [...findings.values()];
}
