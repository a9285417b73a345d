import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

const ROOT = resolve(__dirname, '..', '..', '..');
export const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The policy the page must live with: what @fastify/helmet's defaults allow and less (no inline script or style,
 * nothing from another origin). The tests add it to the console's own responses, so the page is held to it
 * whatever headers the server sends.
 */
export const STRICT_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  'upgrade-insecure-requests',
].join('; ');

/** Debian's chromium, installed by the project's script when missing (it prints its progress). */
export function installChromium(): string {
  if (!existsSync(CHROMIUM)) {
    execFileSync('bash', [join(ROOT, 'scripts', 'browser', 'install-chromium.sh')], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, CHROMIUM_PATH: CHROMIUM },
    });
  }
  return CHROMIUM;
}

/**
 * The console's bundle, built by the script `npm run build` runs, into dist/console where the store serves it.
 * Once per run (global-setup.ts): two builds at once would empty each other's output folder.
 */
export function buildConsole(): void {
  execFileSync('npm', ['run', '--silent', 'build:console'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

export async function launchChromium(): Promise<Browser> {
  // Root has no user namespace sandbox here; the page is the project's own.
  return chromium.launch({ executablePath: installChromium(), headless: true, args: ['--no-sandbox'] });
}

/** What went wrong in the page: uncaught errors and Content-Security-Policy refusals. */
export interface PageTrouble {
  errors: string[];
}

/** A page whose console responses carry STRICT_CSP and whose errors and policy refusals are collected. */
export async function consolePage(browser: Browser): Promise<{ page: Page; trouble: PageTrouble }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  // Every step is a local request and a repaint: far below this, which only turns a hang into a failure.
  page.setDefaultTimeout(15_000);
  const trouble: PageTrouble = { errors: [] };
  page.on('pageerror', (error) => trouble.errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) trouble.errors.push(`CSP: ${message.text()}`);
  });
  await page.route('**/console/**', async (route) => {
    const response = await route.fetch();
    await route.fulfill({
      response,
      // A second policy beside the server's own (helmet's), if it sends one: a page must satisfy both.
      headers: {
        ...response.headers(),
        'content-security-policy': [response.headers()['content-security-policy'], STRICT_CSP]
          .filter(Boolean)
          .join(', '),
      },
    });
  });
  return { page, trouble };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
