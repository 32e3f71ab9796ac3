import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from './helpers/server.js';

// The README's "open GraphiQL" step, offline: Debian's Chromium loads /graphql with every request
// to another origin refused, and GraphiQL must still come up and run a query. Every wait is
// Playwright's, never a sleep.

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const STEP = { timeout: 60_000 };

describe('GraphiQL', () => {
  let server: TestServer;
  let production: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, production] = await Promise.all([TestServer.start({ env: { NODE_ENV: 'development' } }), TestServer.start({ env: { NODE_ENV: 'production' } })]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([server?.close(), production?.close()]);
  });

  it('comes up and runs a query with no network but the server', async () => {
    const context = await browser.newContext();
    const own = new URL(server.url).origin;
    const elsewhere: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('blob:') || url.startsWith('data:') || new URL(url).origin === own) return route.continue();
      elsewhere.push(url);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    const response = await page.goto(`${server.url}/graphql`);
    expect(response?.headers()['content-type']).toContain('text/html');
    // The page names local files, never a CDN.
    expect(await response?.text()).not.toMatch(/https?:\/\/(?!localhost|127\.0\.0\.1)/);
    await page.locator('.graphiql-container').first().waitFor(STEP);
    await expect.poll(() => page.title()).toBe('IM server');

    const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
    await editor.waitFor(STEP);
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('{ __typename }');
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response').getByText('"Query"').waitFor(STEP);

    expect(elsewhere).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('serves its files only where GraphiQL is on, and only the files it has', async () => {
    const js = await fetch(`${server.url}/graphiql/graphiql.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect((await js.text()).length).toBeGreaterThan(1_000_000);
    expect((await fetch(`${server.url}/graphiql/../package.json`)).status).toBe(404);
    expect((await fetch(`${server.url}/graphiql/nothing.js`)).status).toBe(404);
    expect((await fetch(`${production.url}/graphiql/graphiql.js`)).status).toBe(404);
    const page = await fetch(`${production.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('YogaGraphiQL');
  });
});
