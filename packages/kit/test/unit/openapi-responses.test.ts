import { join } from 'node:path';
import { loadResponseContract, responseProblem, type CheckedResponse } from '../../src/testing/openapi-responses';

const contract = loadResponseContract(join(__dirname, 'fixtures', 'openapi-responses.yaml'));
const thing = { id: 't1', made_at: '2026-01-02T03:04:05Z', note: null };

function check(overrides: Partial<CheckedResponse>): string | undefined {
  return responseProblem(contract, {
    method: 'GET',
    url: '/api/things/t1',
    status: 200,
    contentType: 'application/json; charset=utf-8',
    body: thing,
    hasBody: true,
    ...overrides,
  });
}

describe('responseProblem', () => {
  test('when the status, content type and body are documented, then no problem (3.1 type arrays, $refs, formats)', () => {
    expect(check({})).toBeUndefined();
    expect(check({ method: 'POST', url: 'http://127.0.0.1:1/api/things?x=1', status: 201 })).toBeUndefined();
  });

  test('when the status is not documented for the operation, then the problem names it and what is', () => {
    expect(check({ status: 500 })).toBe(
      'GET /api/things/t1 (/api/things/{id}) answered 500, a status openapi.yaml does not document (documented: 200, 204)',
    );
  });

  test('when a range or default documents the status, then it counts', () => {
    expect(check({ method: 'POST', url: '/api/things', status: 429, body: { error: {} } })).toBeUndefined();
    expect(check({ method: 'POST', url: '/api/things', status: 429, body: { nope: 1 } })).toMatch(
      /does not match its application\/json schema: body must have required property 'error'/,
    );
  });

  test('when the body breaks the schema, then the problem says where', () => {
    expect(check({ body: { id: 't1', made_at: 'yesterday' } })).toMatch(/body\/made_at must match format "date-time"/);
    expect(check({ body: { id: 1, made_at: thing.made_at } })).toMatch(/body\/id must be string/);
  });

  test('when the content type is not documented, then a problem; when none is documented, a body is one', () => {
    expect(check({ contentType: 'text/html' })).toMatch(/with content type text\/html, but openapi.yaml documents application\/json/);
    expect(check({ status: 204, body: '', hasBody: false })).toBeUndefined();
  });

  test('when a literal path and a template both match, then the literal one is the operation', () => {
    expect(check({ url: '/api/things/mine', contentType: 'text/plain', body: 'mine' })).toBeUndefined();
    expect(check({ url: '/api/things/mine', contentType: 'text/plain', body: 'yours' })).toMatch(/body must match pattern/);
  });

  test('when the path or method is not documented, then nothing is checked (404 and 405 tests)', () => {
    expect(check({ url: '/nowhere', status: 404 })).toBeUndefined();
    expect(check({ method: 'DELETE', status: 405 })).toBeUndefined();
  });

  test('when HEAD is asked where GET is documented, then GET statuses count and no body is checked', () => {
    expect(check({ method: 'HEAD', body: undefined, hasBody: false })).toBeUndefined();
    expect(check({ method: 'HEAD', status: 418 })).toMatch(/answered 418, a status openapi.yaml does not document/);
  });
});
