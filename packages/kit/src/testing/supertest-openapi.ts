import type { Response } from 'supertest';
import { responseProblem, type ResponseContract } from './openapi-responses';

interface SupertestTest {
  method: string;
  url: string;
  assert(error: unknown, response: Response | undefined, done?: (error: unknown, response?: Response) => void): void;
}

/**
 * Makes every supertest request of this process fail when its response breaks the contract
 * that contractFor() returns (undefined: nothing to check). It wraps Test#assert, the one
 * place every supertest request passes through (await, .end() and .expect() alike), so no
 * test needs to ask for the check.
 */
export function checkSupertestResponses(contractFor: () => ResponseContract | undefined): void {
  // supertest's Test is CommonJS; required here so only service tests load it.
  const { Test } = require('supertest') as { Test: { prototype: SupertestTest } };
  const assert = Test.prototype.assert;
  Test.prototype.assert = function checkedAssert(this: SupertestTest, error, response, done) {
    const contract = contractFor();
    if (contract && response) {
      const contentType = response.headers['content-type'] as string | undefined;
      const problem = responseProblem(contract, {
        method: this.method,
        url: this.url,
        status: response.status,
        contentType,
        ...bodyOf(response, contentType),
      });
      if (problem) {
        const failure = new Error(`response breaks openapi.yaml: ${problem}`);
        done?.call(this, failure, response);
        return;
      }
    }
    assert.call(this, error, response, done);
  };
}

/** The body as the schema sees it: parsed JSON, or text; undefined when only bytes came (a test's own parser). */
function bodyOf(response: Response, contentType: string | undefined): { body: unknown; hasBody: boolean } {
  const json = /[/+]json\b/i.test(contentType ?? '');
  const raw: unknown = response.body;
  if (Buffer.isBuffer(raw)) {
    if (!json) return { body: undefined, hasBody: raw.length > 0 };
    try {
      return { body: JSON.parse(raw.toString('utf8')), hasBody: raw.length > 0 };
    } catch {
      return { body: raw.toString('utf8'), hasBody: raw.length > 0 };
    }
  }
  const text = typeof response.text === 'string' ? response.text : undefined;
  const hasBody = (text ?? '').length > 0 || Number(response.headers['content-length'] ?? 0) > 0;
  return { body: json ? raw : text, hasBody };
}
