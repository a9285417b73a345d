import { SignJWT } from 'jose';
import { Browser, Page } from 'playwright-core';
import { DEMO_AGENT_ID, DEMO_USER_ID } from '../../apps/store/src/demo-sessions';
import { consolePage, launchChromium, PageTrouble } from './support/console-browser';
import { DemoStore, laterEvent, startDemoStore } from './support/demo-store';

// The console against a store that names its callers by bearer token (AUTH_MODE=jwt): the pasted token is what
// every request, the change stream's included, carries; x-user-id means nothing there.

const SECRET = 'console-browser-test-secret-of-at-least-32-characters';
const CHECKOUT = 'demo-session-checkout';

async function tokenFor(subject: string, secret = SECRET): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
}

describe('audit console in JWT mode', () => {
  let store: DemoStore;
  let browser: Browser;
  let page: Page;
  let trouble: PageTrouble;

  beforeAll(async () => {
    const demoToken = await tokenFor(DEMO_USER_ID);
    [store, browser] = await Promise.all([
      startDemoStore({ authorization: `Bearer ${demoToken}` }, { AUTH_MODE: 'jwt', JWT_SECRET: SECRET }),
      launchChromium(),
    ]);
    ({ page, trouble } = await consolePage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await store?.stop();
  });

  afterEach(() => expect(trouble?.errors).toEqual([]));

  async function signIn(token: string): Promise<void> {
    await page.goto(`${store.baseUrl}/console/#/identity`);
    await page.getByLabel(/by a bearer token/).check();
    expect(await page.getByLabel('User id', { exact: true }).isVisible()).toBe(false);
    await page.getByLabel('Bearer token', { exact: true }).fill(`Bearer ${token}`);
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('lists the sessions of the token’s subject, and follows their changes with the token', async () => {
    const token = await tokenFor(DEMO_USER_ID);
    await signIn(token);
    expect(await page.getByTestId('caller').textContent()).toBe(`bearer token …${token.slice(-6)}`);
    await page.getByLabel('Agent').fill(DEMO_AGENT_ID);
    await page.getByRole('button', { name: 'List' }).click();
    await page.locator('[data-testid=total]', { hasText: '3 sessions' }).waitFor();

    await page.locator('[data-testid=live][data-state=live]').waitFor();
    await store.ingest([laterEvent(CHECKOUT, 8, 'session.run_started', { reply_id: `${CHECKOUT}-reply-2` })]);
    await page
      .locator(`tr[data-session-id=${CHECKOUT}] [data-testid=status]`, { hasText: 'running' })
      .waitFor();
  });

  it("shows the API's refusal of a token it cannot verify", async () => {
    await signIn(await tokenFor(DEMO_USER_ID, 'another-secret-that-is-also-32-characters-long'));
    await page.goto(`${store.baseUrl}/console/#/sessions?agent_id=${DEMO_AGENT_ID}`);
    const problem = page.locator('.problem[role=alert]');
    await problem.waitFor();
    expect(await problem.textContent()).toBe('401 Invalid token: signature verification failed');
  });

  it("refuses another subject's session with the 404", async () => {
    await signIn(await tokenFor('someone-else'));
    await page.goto(`${store.baseUrl}/console/#/sessions/${CHECKOUT}`);
    expect(await page.getByTestId('refused').locator('h2').textContent()).toBe('404 · Session not found');
  });
});
