import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, launchChromium, watchPage } from './support/browser.js';
import type { Corpus } from '../src/content/schema.js';
import { t } from '../src/i18n/index.js';
import { startService, type RunningService } from './support/service.js';

/**
 * The simulator's WhatsApp chat in headless Chromium against the real service: the page posts
 * to /simulator/whatsapp, which signs a notification for the real /whatsapp webhook and returns
 * what the channel sent the Graph API. Keeps test-results/whatsapp-simulator.png (a CI artifact).
 */
const SHOT = join(process.cwd(), 'test-results', 'whatsapp-simulator.png');

interface Row {
  id: string;
  title: string;
  description?: string;
}
interface Sent {
  type: string;
  interactive?: {
    type: 'list' | 'button';
    action: { button?: string; sections?: Array<{ rows: Row[] }>; buttons?: Array<{ reply: Row }> };
  };
}

describeWithChromium('the simulator WhatsApp chat in a browser', () => {
  let running: RunningService;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const problems: string[] = [];
  /** What the page posted to /simulator/whatsapp, in order. */
  const posted: unknown[] = [];
  const corpus = JSON.parse(readFileSync('content/recommendations.json', 'utf8')) as Corpus;
  const textOf = (id: string) => corpus.recommendations.find((r) => r.id === id)!.text;
  const opening = (id: string) => textOf(id).split(/\s+/).slice(0, 5).join(' ');
  const incoming = () => page.locator('#wa-thread .wa-bubble.in');

  /** Does something on the page and returns the messages the route answered with. */
  const exchange = async (action: () => Promise<void>): Promise<Sent[]> => {
    const answered = page.waitForResponse(
      (response) => new URL(response.url()).pathname === '/simulator/whatsapp',
    );
    await action();
    const response = await answered;
    expect(response.status()).toBe(200);
    return ((await response.json()) as { messages: Sent[] }).messages;
  };

  beforeAll(async () => {
    mkdirSync(join(process.cwd(), 'test-results'), { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'dim-wa-browser-'));
    running = await startService({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.setDefaultTimeout(8_000);
    watchPage(page, running.baseUrl, problems);
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/simulator/whatsapp')
        posted.push(JSON.parse(request.postData() ?? 'null'));
    });
    await page.goto(`${running.baseUrl}/simulator`);
    await page.waitForSelector('body[data-ready="true"]');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the WhatsApp tab is chosen, then the chat replaces the SMS thread, ready to type', async () => {
    expect(await page.locator('#wa-panel').isHidden()).toBe(true);
    await page.locator('#tab-wa').click();
    expect(await page.locator('#wa-panel').isVisible()).toBe(true);
    expect(await page.locator('#sms-panel').isHidden()).toBe(true);
    expect(await page.locator('#tab-wa').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('#wa-off').isHidden()).toBe(true);
    expect(await page.locator('#wa-send').innerText()).toBe(t('fr', 'web.wa.send'));
    expect(await page.locator('#wa-text').isEnabled()).toBe(true);
  });

  it('when "eau" is typed, a row of the list tapped, then the "next" button tapped, then the chat shows the list, the recommendation and the next one, each from the real webhook', async () => {
    // 1. A typed text: the search results come back as a list message.
    const first = await exchange(async () => {
      await page.locator('#wa-text').fill('eau');
      await page.locator('#wa-text').press('Enter');
    });
    const list = first.at(-1)!.interactive!;
    expect(list.type).toBe('list');
    const listBubble = incoming().last();
    await listBubble.waitFor();
    expect(await listBubble.getAttribute('data-kind')).toBe('list');
    // The list's header names what was searched ("Résultats pour « eau »").
    expect(await listBubble.locator('.wa-header').innerText()).toContain('eau');

    // The list's button opens its rows, titles and descriptions as the channel sent them.
    const rows = list.action.sections!.flatMap((section) => section.rows);
    expect(await listBubble.locator('.wa-rows').isHidden()).toBe(true);
    await listBubble.locator('.wa-list-open').click();
    expect(await listBubble.locator('.wa-list-open').innerText()).toContain(list.action.button!);
    const shownTitles = await listBubble.locator('.wa-row-title').allInnerTexts();
    expect(shownTitles).toEqual(rows.map((row) => row.title));
    const shownDescriptions = await listBubble.locator('.wa-row-description').allInnerTexts();
    expect(shownDescriptions).toEqual(rows.flatMap((row) => (row.description ? [row.description] : [])));

    // 2. A row tapped: a list_reply, answered with the recommendation's card.
    const row = rows.find((r) => r.id === 'r:3.13') ?? rows[0]!;
    const recId = row.id.slice(2);
    const second = await exchange(() => listBubble.locator(`.wa-row[data-id="${row.id}"]`).click());
    expect(second.at(-1)!.interactive!.type).toBe('button');
    const card = incoming().last();
    await card.locator('.wa-header', { hasText: recId }).waitFor();
    expect(await card.getAttribute('data-kind')).toBe('button');
    expect(await card.locator('.wa-body').innerText()).toContain(opening(recId));
    // WhatsApp shows what was tapped as the person's own message.
    expect(await page.locator('#wa-thread .wa-bubble.out').last().innerText()).toContain(row.title);

    // 3. A reply button tapped: a button_reply, answered with the next recommendation.
    const buttons = second.at(-1)!.interactive!.action.buttons!;
    expect(await card.locator('.wa-reply').allInnerTexts()).toEqual(buttons.map((b) => b.reply.title));
    const [theme, number] = recId.split('.').map(Number);
    const nextId = `${theme}.${number! + 1}`;
    const next = buttons.find((b) => b.reply.id === `r:${nextId}`)!;
    await exchange(() => card.locator(`.wa-reply[data-id="${next.reply.id}"]`).click());
    const nextCard = incoming().last();
    await nextCard.locator('.wa-header', { hasText: nextId }).waitFor();
    expect(await nextCard.locator('.wa-body').innerText()).toContain(opening(nextId));

    expect(posted).toEqual([
      { phoneNumber: '+22370000001', text: 'eau' },
      {
        phoneNumber: '+22370000001',
        reply: {
          type: 'list_reply',
          id: row.id,
          title: row.title,
          ...(row.description ? { description: row.description } : {}),
        },
      },
      {
        phoneNumber: '+22370000001',
        reply: { type: 'button_reply', id: next.reply.id, title: next.reply.title },
      },
    ]);
    await page.locator('#wa-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: SHOT, fullPage: true });
    expect(existsSync(SHOT)).toBe(true);
    expect(problems).toEqual([]);
  });

  it('when the language is switched, then the chat relabels from the catalog and keeps the conversation', async () => {
    const bubbles = await page.locator('#wa-thread .wa-bubble').count();
    await page.locator('#lang-toggle').click();
    expect(await page.locator('#wa-send').innerText()).toBe(t('en', 'web.wa.send'));
    expect(await page.locator('#tab-wa').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('#wa-thread .wa-bubble').count()).toBe(bubbles);
  });

  it('when the chat is shown on a phone-sized screen, then nothing overflows sideways', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = await page.evaluate(() => {
      const { document, innerWidth } = globalThis as unknown as {
        innerWidth: number;
        document: { documentElement: { scrollWidth: number } };
      };
      return document.documentElement.scrollWidth - innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
  });
});
