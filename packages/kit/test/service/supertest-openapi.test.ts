import { join } from 'node:path';
import Koa from 'koa';
import supertest from 'supertest';
import { loadResponseContract } from '../../src/testing/openapi-responses';
import { checkSupertestResponses } from '../../src/testing/supertest-openapi';

// The service project's setup checks apps/<app>/ tests; this file checks the hook itself.
const contract = loadResponseContract(join(__dirname, '..', 'unit', 'fixtures', 'openapi-responses.yaml'));
checkSupertestResponses(() => contract);

const app = new Koa();
app.use((ctx) => {
  if (ctx.path === '/api/things/good') ctx.body = { id: 'good', made_at: '2026-01-02T03:04:05Z' };
  else if (ctx.path === '/api/things/bad') ctx.body = { id: 'bad' };
  else if (ctx.path === '/api/things/teapot') ctx.status = 418;
  else ctx.status = 404;
});

describe('checkSupertestResponses', () => {
  test('when the response keeps the contract, then the request resolves as usual', async () => {
    const response = await supertest(app.callback()).get('/api/things/good').expect(200);

    expect(response.body).toEqual({ id: 'good', made_at: '2026-01-02T03:04:05Z' });
  });

  test('when the body breaks the schema, then awaiting the request rejects with the problem', async () => {
    await expect(supertest(app.callback()).get('/api/things/bad')).rejects.toThrow(
      "response breaks openapi.yaml: GET /api/things/bad (/api/things/{id}) answered 200 with a body that does not match its application/json schema: body must have required property 'made_at'",
    );
  });

  test('when the status is undocumented, then .expect() of that very status still fails', async () => {
    await expect(supertest(app.callback()).get('/api/things/teapot').expect(418)).rejects.toThrow(
      /answered 418, a status openapi.yaml does not document/,
    );
  });

  test('when no operation matches, then nothing is checked', async () => {
    const response = await supertest(app.callback()).get('/elsewhere');

    expect(response.status).toBe(404);
  });
});
