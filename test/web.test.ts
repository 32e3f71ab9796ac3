import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../web/build.js';
import { PASSWORD, TestServer } from './helpers/server.js';

// The web client (web/) in Debian's Chromium, driven by playwright-core: three people, each in
// a browser context of their own, using the client as a person would. Screenshots of every step
// go to test-artifacts/web/. Every wait is Playwright's (or a polled expectation), never a sleep.

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', 'test-artifacts', 'web');
const STEP = { timeout: 60_000 };
const PHONE = { width: 390, height: 760 };

const SKY = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400">
  <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3b7be0"/><stop offset="1" stop-color="#f7c59f"/></linearGradient></defs>
  <rect width="600" height="400" fill="url(#g)"/><circle cx="430" cy="250" r="60" fill="#ffd25e"/>
  <path d="M0 330 L140 220 L260 310 L380 200 L600 340 L600 400 L0 400 Z" fill="#2f5d50"/>
</svg>`;

interface Person {
  name: string;
  context: BrowserContext;
  page: Page;
}

describe('web client', () => {
  let server: TestServer;
  let browser: Browser;
  let a: Person, b: Person, c: Person;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await Promise.all([buildWeb(), mkdir(ARTIFACTS, { recursive: true })]);
    server = await TestServer.start();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    [a, b, c] = (await Promise.all(['ann', 'bob', 'cat'].map((n) => person(n, n === 'cat' ? PHONE : undefined)))) as [Person, Person, Person];
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens the client with ?app= and registers through its form. */
  async function person(name: string, viewport = { width: 1000, height: 700 }): Promise<Person> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${name}: ${error.message}`));
    await page.goto(`${server.url}/?app=${server.appId}`);
    await page.getByLabel('Username').fill(name);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Register' }).click();
    await linkState(page).filter({ hasText: 'Online' }).waitFor();
    return { name, context, page };
  }

  const linkState = (page: Page) => page.locator('.top .link');
  const conversationWith = (who: Person, title: string) => who.page.locator(`button.conversation[data-title="${title}"]`);
  const messages = (who: Person) => who.page.locator('.messages li.msg:not(.pending)');
  const texts = (who: Person) => who.page.locator('.messages li.msg:not(.pending) .body').allTextContents();
  const shot = (who: Person, step: string) => who.page.screenshot({ path: join(ARTIFACTS, `${step}-${who.name}.png`) });

  async function chatWith(who: Person, username: string) {
    const form = who.page.locator('form.one-field').filter({ hasText: 'Chat with' });
    await form.getByRole('textbox').fill(username);
    await form.getByRole('button', { name: 'Chat' }).click();
    await who.page.getByRole('heading', { level: 2, name: username }).waitFor();
  }

  async function newGroup(who: Person, name: string, members: string[]) {
    const details = who.page.locator('details', { hasText: 'New group' });
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
    await who.page.getByLabel('Group name').fill(name);
    await who.page.getByLabel('Members (usernames, comma-separated)').fill(members.join(', '));
    await who.page.getByRole('button', { name: 'Create group' }).click();
    await who.page.getByRole('heading', { level: 2, name }).waitFor();
  }

  async function say(who: Person, text: string) {
    await who.page.getByRole('textbox', { name: 'Message' }).fill(text);
    await who.page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await messages(who).filter({ hasText: text }).last().waitFor();
  }

  it('serves the client at / with caching headers; /graphql stays GraphQL', async () => {
    const index = await fetch(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await index.text();
    const script = /src="(\/assets\/main-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${server.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const again = await fetch(`${server.url}${script}`, { headers: { 'if-none-match': asset.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await fetch(`${server.url}/assets/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${server.url}/`, { method: 'POST' })).status).toBe(405);
    const graphql = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(await graphql.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('A sends, B sees it live and the unread count moves; B types and A sees it', STEP, async () => {
    await chatWith(a, b.name);
    await say(a, 'hello bob');
    const inList = conversationWith(b, a.name);
    await inList.locator('.unread', { hasText: '1' }).waitFor();
    await expect.poll(() => inList.locator('.preview').textContent()).toBe('hello bob');
    await say(a, 'are you there?');
    await inList.locator('.unread', { hasText: '2' }).waitFor();
    await expect.poll(() => inList.locator('.unread').getAttribute('aria-label')).toBe('2 unread');
    await shot(a, '1-sent');
    await shot(b, '1-unread');

    await inList.click();
    await b.page.getByRole('textbox', { name: 'Message' }).pressSequentially('typing');
    await a.page.locator('.typing', { hasText: `${b.name} is typing…` }).waitFor();
    await shot(a, '2-typing');
    // B stops without sending: the indicator goes away by itself (and cannot leak into later steps).
    await b.page.getByRole('textbox', { name: 'Message' }).fill('');
    await expect.poll(() => a.page.locator('.typing').textContent(), { timeout: 15_000 }).toBe('');
    await expect.poll(() => conversationWith(a, b.name).locator('.preview').textContent()).toBe('are you there?');
  });

  it('B opens the chat and A sees the read tick', STEP, async () => {
    await expect.poll(() => texts(b)).toEqual(['hello bob', 'are you there?']);
    await conversationWith(b, a.name).locator('.unread').waitFor({ state: 'detached' });
    await expect.poll(() => a.page.locator('.messages .tick.read').count()).toBe(2);
    await expect.poll(() => a.page.locator('.messages .tick.read').last().textContent()).toContain('Read');
    await shot(b, '3-opened');
    await shot(a, '3-read');
  });

  it('B goes offline, A sends three, B comes back and sees exactly those three once, in order', STEP, async () => {
    await b.context.setOffline(true);
    await linkState(b.page).filter({ hasText: 'Reconnecting…' }).waitFor();
    for (const text of ['one', 'two', 'three']) await say(a, text);
    await a.page.locator('.messages li.msg').filter({ hasText: 'three' }).locator('.tick').waitFor();
    expect(await texts(b)).toEqual(['hello bob', 'are you there?']);
    await shot(b, '4-offline');

    await b.context.setOffline(false);
    await linkState(b.page).filter({ hasText: 'Online' }).waitFor();
    await expect.poll(() => texts(b)).toEqual(['hello bob', 'are you there?', 'one', 'two', 'three']);
    // Still exactly once after the stream has gone live again (a late duplicate would show here).
    await say(a, 'welcome back');
    await expect.poll(() => texts(b)).toEqual(['hello bob', 'are you there?', 'one', 'two', 'three', 'welcome back']);
    await expect.poll(() => a.page.locator('.messages .tick.read').count()).toBe(6);
    await shot(b, '5-back-online');
  });

  it('a message sent offline shows at once as sending, and is delivered once when back online', STEP, async () => {
    await a.context.setOffline(true);
    await linkState(a.page).filter({ hasText: 'Reconnecting…' }).waitFor();
    await a.page.getByRole('textbox', { name: 'Message' }).fill('sent from a tunnel');
    await a.page.getByRole('button', { name: 'Send' }).click();
    await a.page.locator('.messages li.msg.pending', { hasText: 'sent from a tunnel' }).getByText('Sending…').waitFor();
    await shot(a, '5-sending-offline');
    await a.context.setOffline(false);
    await a.page.locator('.messages li.msg.pending').waitFor({ state: 'detached' });
    const all = ['hello bob', 'are you there?', 'one', 'two', 'three', 'welcome back', 'sent from a tunnel'];
    await expect.poll(() => texts(b)).toEqual(all);
    await expect.poll(() => texts(a)).toEqual(all);
  });

  it('an image message shows its thumbnail on both sides', STEP, async () => {
    const png = await sharp(Buffer.from(SKY)).png().toBuffer();
    await a.page.getByLabel('Attach a photo or file').setInputFiles({ name: 'sky.png', mimeType: 'image/png', buffer: png });
    for (const who of [a, b]) {
      const thumbnail = who.page.locator('.messages li.msg:not(.pending) img.thumbnail[alt="sky.png"]');
      await thumbnail.waitFor();
      await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(256);
    }
    await expect.poll(() => conversationWith(a, b.name).locator('.preview').textContent()).toBe('Photo');
    await shot(a, '6-image');
    await shot(b, '6-image');
  });

  it('a friend request is answered from the list', STEP, async () => {
    const form = a.page.locator('form.one-field').filter({ hasText: 'Add friend' });
    await form.getByRole('textbox').fill(c.name);
    await form.getByRole('button', { name: 'Add' }).click();
    await a.page.locator('.notice', { hasText: `Friend request to ${c.name}` }).waitFor();
    const requests = c.page.getByRole('region', { name: 'Friend requests' });
    await requests.getByText(a.name).waitFor();
    await shot(c, '7-friend-request');
    await requests.getByRole('button', { name: 'Accept' }).click();
    await requests.waitFor({ state: 'detached' });
  });

  it('a group of three sees a message in all three contexts', STEP, async () => {
    await newGroup(a, 'Trio', [b.name, c.name]);
    await a.page.getByRole('button', { name: 'Members' }).click();
    await expect.poll(() => a.page.getByRole('region', { name: 'Group members' }).locator('li').count()).toBe(3);

    await say(a, 'hi both');
    for (const who of [b, c]) {
      const group = conversationWith(who, 'Trio');
      await group.locator('.unread', { hasText: '1' }).waitFor();
      await group.click();
      await expect.poll(() => texts(who)).toEqual(['hi both']);
    }
    await say(c, 'hi from my phone');
    for (const who of [a, b]) await expect.poll(() => texts(who)).toEqual(['hi both', 'hi from my phone']);
    await a.page.getByRole('button', { name: 'Members' }).click();
    await shot(a, '8-group');
    await shot(b, '8-group');
    await shot(c, '8-group-phone');
  });

  it('someone who confirms invitations joins a group from its invitation', STEP, async () => {
    const cat = await loginApi(c.name);
    const settings = await server.gql(`mutation { updateSettings(input: { groupConfirm: true }) { __typename } }`, {}, { token: cat.token });
    expect(settings.data?.updateSettings.__typename).toBe('UpdateSettingsPayload');
    await c.page.getByRole('button', { name: 'Back to conversations' }).click();
    await newGroup(a, 'Book club', [c.name]);
    const invitations = c.page.getByRole('region', { name: 'Group invitations' });
    await invitations.getByText('Book club').waitFor();
    await shot(c, '9-invitation');
    await invitations.getByRole('button', { name: 'Join' }).click();
    await c.page.getByRole('heading', { level: 2, name: 'Book club' }).waitFor();
    await invitations.waitFor({ state: 'detached' });
    await say(a, 'welcome, cat');
    await expect.poll(() => texts(c)).toEqual(['welcome, cat']);
  });

  it('history pages backwards on scroll', STEP, async () => {
    const ann = await loginApi(a.name);
    const cat = await loginApi(c.name);
    for (let i = 1; i <= 45; i++) {
      const sent = await server.gql(
        `mutation($input: SendMessageInput!) { sendMessage(input: $input) { __typename } }`,
        { input: { toKind: 'USER', targets: [cat.userId], contentType: 'TEXT', content: `old ${i}` } },
        { token: ann.token },
      );
      expect(sent.data?.sendMessage.__typename).not.toMatch(/Error$/);
    }
    await c.page.getByRole('button', { name: 'Back to conversations' }).click();
    await conversationWith(c, a.name).click();
    await expect.poll(async () => (await texts(c)).length).toBe(30);
    expect((await texts(c)).at(-1)).toBe('old 45');
    await c.page.getByRole('log', { name: 'Messages' }).evaluate((el) => el.scrollTo(0, 0));
    await expect.poll(async () => (await texts(c)).length).toBe(45);
    expect(await texts(c)).toEqual(Array.from({ length: 45 }, (_, i) => `old ${i + 1}`));
    await shot(c, '10-history');
  });

  it('threw no uncaught error in any page', () => {
    expect(pageErrors).toEqual([]);
  });

  it('the committed generated.ts matches schema.graphql and the client’s documents (npm run web:codegen)', STEP, async () => {
    const { generate } = await import('@graphql-codegen/cli');
    const { default: config } = await import('../web/codegen.js');
    const [output] = (await generate({ ...config, cwd: join(import.meta.dirname, '..'), silent: true }, false)) as { filename: string; content: string }[];
    expect(output!.content).toBe(await readFile(join(import.meta.dirname, '..', 'web/src/graphql/generated.ts'), 'utf8'));
  });

  async function loginApi(username: string) {
    const res = await server.gql(
      `mutation($appId: ID!, $u: String!, $p: String!) { createAccessToken(appId: $appId, input: { username: $u, password: $p }) { ... on CreateAccessTokenPayload { accessToken { token userId } } } }`,
      { appId: server.appId, u: username, p: PASSWORD },
    );
    return (res.data!.createAccessToken as { accessToken: { token: string; userId: string } }).accessToken;
  }
});

