// @ts-check
/**
 * The browser journey: Chromium (Debian's, through playwright-core) drives the ui. Alice
 * registers, logs out, mistypes her password (the page says so, and no browser dialog is
 * asked for), logs back in, posts; Bob, in a second browser context, sees her
 * message arrive live; Alice logs out. A screenshot of each step goes to the results folder.
 * Elements are found by the ui's data-testid attributes. No request the page makes may
 * carry a credential in its URL (routers log URLs): the journey fails naming the path.
 */
const fs = require('node:fs');
const path = require('node:path');
const { JourneyError, uniqueNickname, newPassword } = require('../http');

/** @typedef {import('../run').Journey} Journey */
/** @typedef {import('playwright-core').Page} Page */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WAIT_MS = 10_000;
/** A JWT, or the query parameter a token would travel in. */
const CREDENTIAL_IN_URL = /eyJ[\w-]+\.[\w-]+\.[\w-]+|[?&]access_token=/;

/** @param {string} id */
const byTestId = (id) => `[data-testid="${id}"]`;

/** @type {Journey} */
const browser = {
  name: 'browser',
  doc: 'Chromium: register, a wrong password (no browser dialog), log in, post, see it in a second context, log out (screenshots)',
  async run(context) {
    if (!fs.existsSync(CHROMIUM))
      throw new JourneyError('start Chromium', `a Chromium at ${CHROMIUM}`, 'none (apt-get install -y chromium, or set CHROMIUM_PATH)');
    const { chromium } = require('playwright-core');
    const folder = path.join(context.resultsDir, 'browser');
    fs.mkdirSync(folder, { recursive: true });
    const instance = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    let shot = 0;
    /** @param {Page} page @param {string} name */
    const screenshot = async (page, name) => {
      shot += 1;
      await page.screenshot({ path: path.join(folder, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
    };
    /**
     * Runs one step; on failure, screenshots the page and names the step.
     * @param {Page} page @param {string} step @param {string} expected @param {() => Promise<unknown>} action
     */
    const step = async (page, step, expected, action) => {
      try {
        await action();
      } catch (error) {
        await screenshot(page, `failed-${step.replace(/\W+/g, '-')}`).catch(() => undefined);
        const notice = await page
          .locator(byTestId('error'))
          .textContent({ timeout: 500 })
          .catch(() => null);
        const got = `${error instanceof Error ? error.message.split('\n')[0] : String(error)}${notice ? `; the page says "${notice.trim()}"` : ''}`;
        throw new JourneyError(step, expected, got, lastRequestId.get(page));
      }
    };
    /** @type {WeakMap<Page, string>} the last API response's request id, per page */
    const lastRequestId = new WeakMap();
    /** @type {string[]} paths (never the URL itself: it holds the credential) of requests with a credential in the URL */
    const leaks = [];
    /** @param {Page} page */
    const watch = (page) => {
      page.on('response', (response) => {
        const id = response.headers()['x-request-id'];
        if (id && new URL(response.url()).pathname.startsWith('/api/')) lastRequestId.set(page, id);
      });
      page.on('request', (request) => {
        if (CREDENTIAL_IN_URL.test(request.url())) leaks.push(`${request.method()} ${new URL(request.url()).pathname}`);
      });
    };
    /** @param {Page} page @param {string} nickname @param {string} password */
    const register = async (page, nickname, password) => {
      await page.fill(byTestId('register-nickname'), nickname);
      await page.fill(byTestId('register-password'), password);
      await page.click(byTestId('register-submit'));
      await page.locator(byTestId('current-user')).filter({ hasText: nickname }).waitFor({ timeout: WAIT_MS });
    };

    try {
      const alice = { nickname: uniqueNickname('web-a'), password: newPassword() };
      const bob = { nickname: uniqueNickname('web-b'), password: newPassword() };
      const a = await (await instance.newContext()).newPage();
      const b = await (await instance.newContext()).newPage();
      watch(a);
      watch(b);
      a.setDefaultTimeout(WAIT_MS);
      b.setDefaultTimeout(WAIT_MS);

      await step(a, 'open the ui', 'the log-in and register forms', async () => {
        await a.goto(context.client.base, { waitUntil: 'load' });
        await a.locator(byTestId('register-form')).waitFor();
      });
      await screenshot(a, 'open');
      await step(a, 'alice registers', `signed in as ${alice.nickname}`, () => register(a, alice.nickname, alice.password));
      await screenshot(a, 'registered');
      await step(a, 'alice logs out', 'the log-in form', async () => {
        await a.click(byTestId('logout'));
        await a.locator(byTestId('login-form')).waitFor();
      });
      // A Basic challenge on the answer to the page's own fetch makes Chromium raise its
      // native sign-in dialog over the page: the page's answer must name another scheme.
      await step(a, 'alice mistypes her password', 'the page says so; the 401 carries no Basic challenge', async () => {
        await a.fill(byTestId('login-nickname'), alice.nickname);
        await a.fill(byTestId('login-password'), `${alice.password}-typo`);
        const answered = a.waitForResponse(
          (response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/tokens',
        );
        await a.click(byTestId('login-submit'));
        const response = await answered;
        const challenge = response.headers()['www-authenticate'] ?? '';
        if (response.status() !== 401 || /^\s*basic\b/i.test(challenge))
          throw new Error(`POST /api/tokens answered ${response.status()} with WWW-Authenticate: ${challenge || '(none)'}`);
        await a.locator(byTestId('error')).filter({ hasText: /wrong/i }).waitFor();
      });
      await step(a, 'alice logs in', `signed in as ${alice.nickname}`, async () => {
        await a.fill(byTestId('login-nickname'), alice.nickname);
        await a.fill(byTestId('login-password'), alice.password);
        await a.click(byTestId('login-submit'));
        await a.locator(byTestId('current-user')).filter({ hasText: alice.nickname }).waitFor();
        await a.locator(`${byTestId('connection')}[data-state="live"]`).waitFor();
      });
      await screenshot(a, 'logged-in');
      await step(b, 'bob registers in a second context', `signed in as ${bob.nickname}, live`, async () => {
        await b.goto(context.client.base, { waitUntil: 'load' });
        await register(b, bob.nickname, bob.password);
        await b.locator(`${byTestId('connection')}[data-state="live"]`).waitFor();
      });
      await screenshot(b, 'bob-live');
      const text = `hello from the browser ${Date.now()}`;
      await step(a, 'alice posts', 'her message in her list', async () => {
        await a.fill(byTestId('composer-input'), text);
        await a.click(byTestId('send'));
        await a.locator(byTestId('message')).filter({ hasText: text }).waitFor();
      });
      await screenshot(a, 'posted');
      await step(b, 'bob sees it live', `"${text}" in bob's list within 5s`, () =>
        b.locator(byTestId('message')).filter({ hasText: text }).waitFor({ timeout: 5000 }),
      );
      await screenshot(b, 'bob-sees-it');
      await step(a, 'alice logs out', 'the log-in form', async () => {
        await a.click(byTestId('logout'));
        await a.locator(byTestId('login-form')).waitFor();
      });
      await screenshot(a, 'logged-out');
      if (leaks.length > 0)
        throw new JourneyError(
          'no credential in any URL',
          'every token in a header, none in a URL',
          `a token in the URL of ${[...new Set(leaks)].join(', ')}`,
        );
      context.log(`screenshots in ${path.relative(process.cwd(), folder) || folder}`);
    } finally {
      await instance.close();
    }
  },
};

module.exports = { journeys: [browser] };
