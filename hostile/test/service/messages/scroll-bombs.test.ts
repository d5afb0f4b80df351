import { closeTestRedis } from '@bundle/kit/testing';
import supertest from 'supertest';
import { newUser, startHarness, type Harness } from '../../../../apps/messages/test/service/helpers';

// Round 2, item 7: 2,000 line breaks, or 2,000 combining marks on one letter, were accepted
// and stood 48,000 px tall in every reader's list. Caps (the kit's text.ts): 100 line breaks,
// 8 combining marks on one character.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
  await closeTestRedis();
});

const post = async (text: string) =>
  supertest(h.app.callback())
    .post('/api/messages')
    .set('Authorization', `Bearer ${await h.tokens.sign(newUser('bomb'))}`)
    .send({ text });
const refusal = (message: RegExp) => ({
  error: { code: 'invalid_request', message: expect.stringMatching(message), request_id: expect.any(String), field: 'text' },
});

describe('POST /api/messages against scroll bombs', () => {
  test.each([
    ['2,000 line feeds', `a${'\n'.repeat(1998)}b`],
    ['101 line feeds between words', Array.from({ length: 102 }, (_, index) => `line ${index}`).join('\n')],
    ['101 CR LF', Array.from({ length: 102 }, () => 'x').join('\r\n')],
    ['101 lone CRs', Array.from({ length: 102 }, () => 'x').join('\r')],
    ['101 line separators (U+2028)', Array.from({ length: 102 }, () => 'x').join('\u2028')],
    ['101 paragraph separators (U+2029)', Array.from({ length: 102 }, () => 'x').join('\u2029')],
  ])('when the text has %s, then 400 naming text', async (_case, text) => {
    const response = await post(text);
    expect([response.status, response.body]).toEqual([400, refusal(/at most 100 line breaks/)]);
  });

  test.each([
    ['2,000 combining marks on one letter', `a${'\u0301'.repeat(1999)}`],
    ['9 marks on one letter', `Zalgo${'\u0336'.repeat(9)}`],
    ['9 marks with zero-width joiners between them', `a${'\u0301\u200d'.repeat(9)}`],
    ['9 enclosing marks', `x${'\u20dd'.repeat(9)}`],
  ])('when the text has %s, then 400 naming text', async (_case, text) => {
    const response = await post(text);
    expect([response.status, response.body]).toEqual([400, refusal(/more than 8 combining marks/)]);
  });

  test.each([
    ['100 line breaks (a pasted stack trace)', Array.from({ length: 101 }, (_, index) => `at f${index} (a.js:${index})`).join('\n')],
    ['8 marks on one letter', `a${'\u0301'.repeat(8)}`],
    ['Vietnamese, decomposed', 'Tiếng Việt có dấu'.normalize('NFD')],
    ['Thai with tone marks', 'ผู้ใหญ่ น้ำ'],
    ['Hebrew with points and cantillation', 'בְּרֵאשִׁ֖ית'],
    ['emoji with joiners, skin tones and a keycap', '👩🏽‍💻 👨‍👩‍👧‍👦 1️⃣ 🏳️‍🌈'],
  ])('when the text has %s, then 201', async (_case, text) => {
    const response = await post(text);
    expect([response.status, response.body.text]).toEqual([201, text]);
  });
});
