import { Browser, Page } from 'playwright-core';
import { DEMO_AGENT_ID, DEMO_USER_ID } from '../../apps/store/src/demo-sessions';
import { sessionConfig } from '../factories/session-events';
import { consolePage, launchChromium, PageTrouble, screenshot } from './support/console-browser';
import { DemoStore, laterEvent, startDemoStore } from './support/demo-store';

// The audit console in real headless Chromium against the embedded store started with --demo, the way a newcomer
// first meets it: `npm start -- --demo`, then http://127.0.0.1:3000/console/. Each step leaves a screenshot in
// docs/screenshots/, which the README shows.

const CHECKOUT = 'demo-session-checkout';
const GAPPY = 'console-test-gappy';
const POISON = 'console-test-poison';
const OPERATOR_TOKEN = 'console-operator-token-0123456789';

describe('audit console', () => {
  let store: DemoStore;
  let browser: Browser;
  let page: Page;
  let trouble: PageTrouble;

  beforeAll(async () => {
    [store, browser] = await Promise.all([
      startDemoStore({ 'x-user-id': DEMO_USER_ID }, { OPERATOR_TOKEN }),
      launchChromium(),
    ]);
    ({ page, trouble } = await consolePage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await store?.stop();
  });

  afterEach(() => {
    // Every step runs under the strict policy: not one inline script or style may have been refused.
    expect(trouble?.errors).toEqual([]);
  });

  it('asks who the caller is, then lists their sessions of an agent', async () => {
    await page.goto(`${store.baseUrl}/console/`);
    await page.getByLabel('User id', { exact: true }).fill(DEMO_USER_ID);
    // Only the credential of the chosen kind is asked for.
    expect(await page.getByLabel('Bearer token', { exact: true }).isVisible()).toBe(false);
    await screenshot(page, 'identity');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Agent').fill(DEMO_AGENT_ID);
    await page.getByRole('button', { name: 'List' }).click();
    await page.locator('[data-testid=total]', { hasText: '3 sessions' }).waitFor();

    expect(await page.getByTestId('caller').textContent()).toBe(`user ${DEMO_USER_ID}`);
    expect(await sessionRows()).toEqual([
      ['Draft the 2.4 release notes', 'running', 'channel'],
      ['Nightly CI triage', 'awaiting_permission', 'schedule'],
      ['Fix flaky checkout test', 'idle', 'user'],
    ]);
    await page.locator('[data-testid=live][data-state=live]').waitFor();
    await screenshot(page, 'sessions');
  });

  it('runs under the strict policy, which refuses an inline script', async () => {
    // The check after each step counts refusals; this shows it sees one when there is one.
    // In the page (as text: the test's own compilation has no DOM types). An allowed script runs as it is added.
    const ran = await page.evaluate(`(() => {
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.inlineRan = "yes"';
      document.head.append(script);
      return document.body.dataset.inlineRan ?? 'no';
    })()`);
    expect(ran).toBe('no');
    await untilTrouble();
    // One refusal per policy that forbids it: ours, and the server's own when it sends one.
    expect(trouble.errors).not.toHaveLength(0);
    for (const error of trouble.errors) expect(error).toMatch(/^CSP: Executing inline script violates/);
    trouble.errors.length = 0;
  });

  it("filters and pages with the API's parameters", async () => {
    await page.getByLabel('Status').selectOption('awaiting_permission');
    await page.getByRole('button', { name: 'List' }).click();
    await page.locator('[data-testid=total]', { hasText: '1 session' }).waitFor();
    expect(await sessionRows()).toEqual([['Nightly CI triage', 'awaiting_permission', 'schedule']]);

    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Page size').fill('2');
    await page.getByRole('button', { name: 'List' }).click();
    await page.getByRole('link', { name: 'next page »' }).click();
    await page.getByRole('link', { name: '« first page' }).waitFor();
    expect(await sessionRows()).toEqual([['Fix flaky checkout test', 'idle', 'user']]);
    expect(await page.getByTestId('total').textContent()).toBe('3 sessions');
    expect(await page.getByTestId('lag').textContent()).toBe('read model current');
  });

  it("opens a session's timeline and steps through it, with what each event changed", async () => {
    await page.goto(`${store.baseUrl}/console/#/sessions?agent_id=${DEMO_AGENT_ID}`);
    await page.getByRole('link', { name: 'Fix flaky checkout test' }).click();
    await page.getByTestId('timeline').waitFor();
    expect(await page.locator('li.event .type').allTextContents()).toEqual([
      'created',
      'run_started',
      'context_appended',
      'task_updated',
      'task_updated',
      'context_appended',
      'run_stopped',
    ]);
    // Without a choice, the view after the last event, compared with the one before it.
    await page.locator('[data-testid=state-seq]', { hasText: 'after #7' }).waitFor();
    expect(await diffRows()).toEqual(expect.arrayContaining([['status', '"running"', '"idle"']]));

    await page.locator('li.event[data-seq="3"] .event-line').click();
    await page.locator('[data-testid=state-seq]', { hasText: 'after #3' }).waitFor();
    expect((await diffRows()).map(([path]) => path)).toEqual(
      expect.arrayContaining([
        `session.state.context[id=${CHECKOUT}-msg-1]`,
        `session.state.context[id=${CHECKOUT}-msg-2]`,
      ]),
    );
    await page.locator('li.event[data-seq="3"] details.payload summary').click();
    expect(await page.locator('li.event[data-seq="3"] details.payload pre').textContent()).toContain(
      'The checkout test fails about one run in five.',
    );
    await screenshot(page, 'timeline');

    await page.getByRole('link', { name: 'next »' }).click();
    await page.locator('[data-testid=state-seq]', { hasText: 'after #4' }).waitFor();
    // The arrow keys step too.
    await page.keyboard.press('ArrowRight');
    await page.locator('[data-testid=state-seq]', { hasText: 'after #5' }).waitFor();
    await page.keyboard.press('ArrowLeft');
    await page.locator('[data-testid=state-seq]', { hasText: 'after #4' }).waitFor();
    expect((await diffRows()).map(([path]) => path)).toContain(
      `session.state.tasks_context.tasks[id=${CHECKOUT}-task-1]`,
    );
  });

  it('compares a seq with any other', async () => {
    await page.getByLabel('compare with').selectOption('1');
    await page.locator('h2 small', { hasText: 'since #1' }).waitFor();
    const paths = (await diffRows()).map(([path]) => path);
    // Since #1 the run started (#2), messages came (#3) and the first task (#4).
    expect(paths).toEqual(
      expect.arrayContaining([
        'is_running',
        `session.state.context[id=${CHECKOUT}-msg-1]`,
        `session.state.tasks_context.tasks[id=${CHECKOUT}-task-1]`,
      ]),
    );
    await screenshot(page, 'diff');
  });

  it('shows the view as of an instant: after the last event that occurred by then', async () => {
    // #5 occurred at 09:05:00; half a minute later nothing newer had happened.
    await page.getByLabel('The view as of an instant').fill('2025-03-03T09:05:30Z');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('[data-testid=state-seq]', { hasText: 'after #5' }).waitFor();
    expect(await page.locator('.state-of').textContent()).toContain('the view as of 2025-03-03T09:05:30Z');
    expect(await page.locator('li.event.selected').getAttribute('data-seq')).toBe('5');
  });

  it('shows a change the moment it is projected, and a gap in the history', async () => {
    await page.goto(`${store.baseUrl}/console/#/sessions?agent_id=${DEMO_AGENT_ID}`);
    await page.locator('[data-testid=live][data-state=live]').waitFor();
    await store.ingest([laterEvent(CHECKOUT, 8, 'session.run_started', { reply_id: `${CHECKOUT}-reply-2` })]);
    await page
      .locator(`tr[data-session-id=${CHECKOUT}] [data-testid=status]`, { hasText: 'running' })
      .waitFor();
    expect(await page.getByTestId('changes').textContent()).toContain(`${CHECKOUT} updated to version 8`);
    // The API's default order is by creation; by update, the session just changed comes first.
    await page.getByLabel('Order').selectOption('updated');
    await page.getByRole('button', { name: 'List' }).click();
    await page
      .locator('table.sessions tbody tr')
      .first()
      .locator(`a`, { hasText: 'Fix flaky checkout test' })
      .waitFor();

    // A new session whose seq 2 never arrived: listed live, and its timeline shows the hole.
    await store.ingest([
      laterEvent(GAPPY, 1, 'session.created', {
        user_id: DEMO_USER_ID,
        agent_id: DEMO_AGENT_ID,
        config: sessionConfig({ name: 'Session with a hole' }),
        source: 'user',
        source_schedule_id: null,
        team_id: null,
      }),
      laterEvent(GAPPY, 3, 'session.run_started', { reply_id: `${GAPPY}-reply-1` }),
    ]);
    await page.locator('[data-testid=total]', { hasText: '4 sessions' }).waitFor();
    await screenshot(page, 'live');
    await page.getByRole('link', { name: 'Session with a hole' }).click();
    expect(await page.getByTestId('gap').textContent()).toMatch(/^#2 missing/);
    expect(
      await page.locator('li.event').evaluateAll((items) => items.map((item) => item.dataset.seq)),
    ).toEqual(['1', '3']);

    // The missing event arrives late, while the timeline is open: it reloads, and the hole is gone.
    await store.ingest([
      laterEvent(GAPPY, 2, 'session.config_updated', { config: { name: 'Session, mended' } }),
    ]);
    await page.locator('li.event[data-seq="2"]').waitFor();
    expect(await page.getByTestId('gap').count()).toBe(0);
    expect(await page.locator('.session-head h1').textContent()).toBe('Session, mended');

    // Deleted: gone from the list and from GET /sessions/:id, its history still the owner's to read.
    await store.ingest([laterEvent(GAPPY, 4, 'session.deleted', {})]);
    await page.locator('.session-head .status.deleted').waitFor();
    expect(await page.locator('li.event').count()).toBe(4);
  });

  it("refuses another user's session with the API's 404, and lists none of theirs", async () => {
    await page.getByRole('link', { name: 'change' }).click();
    await page.getByLabel('User id', { exact: true }).fill('someone-else');
    await page.getByRole('button', { name: 'Continue' }).click();
    // Back where the caller was: the session just seen, now asked for as someone else.
    const refused = page.getByTestId('refused');
    await refused.waitFor();
    expect(await refused.locator('h2').textContent()).toBe('404 · Session not found');
    await page.goto(`${store.baseUrl}/console/#/sessions/${CHECKOUT}`);
    await page.getByTestId('refused').waitFor();
    expect(await page.locator('li.event').count()).toBe(0);
    await screenshot(page, 'refused');

    await page.goto(`${store.baseUrl}/console/#/sessions?agent_id=${DEMO_AGENT_ID}`);
    await page.locator('[data-testid=total]', { hasText: '0 sessions' }).waitFor();
  });

  it("shows readiness and the projector's series", async () => {
    await page.getByRole('link', { name: 'Operations' }).click();
    expect(await page.getByTestId('readiness').textContent()).toBe('ready');
    const metrics = await page.getByTestId('metrics').textContent();
    expect(metrics).toContain('projector_events_applied_total');
    expect(metrics).toContain('projector_seq_gaps_total');
  });

  it('with the operator token, lists a dead letter with its reason and re-drives it once its cause is fixed', async () => {
    // A run that starts before its session was created: the projector's fold rejects it.
    const started = laterEvent(POISON, 2, 'session.run_started', { reply_id: `${POISON}-reply-1` });
    await store.ingest([started]);
    // The user's identity is not the operator's credential: the page asks for the token.
    await page.getByLabel('Operator token').fill(OPERATOR_TOKEN);
    await page.getByRole('button', { name: 'Use the token' }).click();
    const letter = page.locator('[data-testid=dead-letter]', { hasText: POISON });
    // Listed once the projector has given up on it: reload until then.
    for (;;) {
      await page.getByTestId('dead-letter-count').waitFor();
      if ((await letter.count()) > 0) break;
      await page.reload();
    }
    expect(await letter.getByTestId('reason').textContent()).toBe('fold_rejected');
    expect(await page.locator('[data-testid=generations] tbody tr').first().textContent()).toMatch(
      /active.*fold v\d+, shape \w+current/,
    );
    await screenshot(page, 'operations');

    await store.ingest([
      laterEvent(POISON, 1, 'session.created', {
        user_id: DEMO_USER_ID,
        agent_id: DEMO_AGENT_ID,
        config: sessionConfig({ name: 'Session created late' }),
        source: 'user',
        source_schedule_id: null,
        team_id: null,
      }),
    ]);
    await letter.getByRole('button', { name: 'Re-drive' }).click();
    await page.getByTestId('redrive-outcome').filter({ hasText: 'projected' }).waitFor();
    // Projected, it leaves the listing.
    await letter.waitFor({ state: 'detached' });
  });

  async function untilTrouble(): Promise<void> {
    while (trouble.errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  async function sessionRows(): Promise<string[][]> {
    return page
      .locator('table.sessions tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [
          row.querySelector('td a')!.textContent!,
          row.querySelector('[data-testid=status]')!.textContent!,
          row.querySelectorAll('td')[2].firstChild!.textContent!,
        ]),
      );
  }

  async function diffRows(): Promise<string[][]> {
    await page.getByTestId('diff').waitFor();
    return page
      .locator('table.diff tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent!)),
      );
  }
});
