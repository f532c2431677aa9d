import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsEvent } from '../src/ports/index.js';
import { PASSWORDS, consoleUsers } from './support/console.js';
import { startService, type RunningService } from './support/service.js';
import { atHop, newSessionId } from './support/ussd.js';

/**
 * The operators' console in headless Chromium against the real service, after fabricated
 * traffic: real SMS and USSD requests (counted today through the interim Metrics bridge) and
 * the events the channels will report through the Analytics port (Telegram, feedback, screens,
 * searches without result). The figures on the page are checked against what was sent; the
 * screenshots stay under test-results/console/.
 */
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-results', 'console');
const haveChromium = existsSync(CHROMIUM);
const underCi = process.env.CI === 'true';
if (!haveChromium && !underCi) {
  process.stderr.write(
    `\n\n*** SKIPPED: the console browser test needs ${CHROMIUM}. Under CI=true it FAILS. ***\n\n`,
  );
}
const describeBrowser = haveChromium || underCi ? describe : describe.skip;

const SMS_SENT = ['T1', '2.10', 'AIDE', 'T3'];
const USSD_HOPS = ['', '1', '1*2'];
const MISS_PEOPLE = ['p_m1', 'p_m2', 'p_m3', 'p_m4', 'p_m5'];

/** What the channels will report through the port, with the figures it must give. */
const PORT_EVENTS: AnalyticsEvent[] = [
  ...['p_t1', 'p_t2'].map((person): AnalyticsEvent => ({
    type: 'reply',
    person,
    channel: 'telegram',
    lang: 'en',
    kind: 'recommendation',
    recId: '2.10',
  })),
  { type: 'reply', person: 'p_t1', channel: 'telegram', lang: 'en', kind: 'recommendation', recId: '5.41' },
  { type: 'reply', person: 'p_u1', channel: 'ussd', lang: 'fr', kind: 'theme', theme: 3 },
  { type: 'screen', person: 'p_u1', channel: 'ussd', screen: 'home', event: 'reached' },
  { type: 'screen', person: 'p_u2', channel: 'ussd', screen: 'home', event: 'reached' },
  { type: 'screen', person: 'p_u2', channel: 'ussd', screen: 'home', event: 'dropped' },
  { type: 'screen', person: 'p_v1', channel: 'voice', screen: 'themes', event: 'reached' },
  { type: 'feedback', person: 'p_t1', channel: 'telegram', recId: '2.10', value: 'useful' },
  { type: 'feedback', person: 'p_t2', channel: 'telegram', recId: '2.10', value: 'useful' },
  { type: 'feedback', person: 'p_u1', channel: 'ussd', recId: '2.10', value: 'unclear' },
  ...MISS_PEOPLE.map((person): AnalyticsEvent => ({
    type: 'searchMiss',
    person,
    channel: 'sms',
    lang: 'fr',
    outcome: 'none',
    normalisedWords: 'Où trouver des semences améliorées ?',
  })),
];
/** p_t1, p_t2, p_u1, p_u2, p_v1 and the five who searched. */
const PEOPLE = 10;

interface Browserish {
  innerWidth: number;
  document: { documentElement: { scrollWidth: number } };
}

describeBrowser('the operators’ console in a browser', () => {
  let running: RunningService;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const problems: string[] = [];
  let step = 0;
  const shot = async (name: string) => {
    step += 1;
    await page.screenshot({
      path: join(SHOTS, `${String(step).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
  };
  /** A table's body rows as arrays of cell texts. */
  const rows = async (name: string) =>
    page
      .locator(`#table-${name} tbody tr`)
      .evaluateAll((trs) =>
        trs.map((tr) =>
          Array.from((tr as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells, (td) =>
            (td.textContent ?? '').trim(),
          ),
        ),
      );

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI=true but ${CHROMIUM} is missing`);
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'dim-console-browser-'));
    running = await startService({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      CONSOLE_USERS: await consoleUsers(),
      SMS_SEGMENT_COST: '15',
    });
    // Real traffic: SMS from two numbers, one USSD session of three hops.
    for (const [i, text] of SMS_SENT.entries()) {
      const answer = await fetch(`${running.baseUrl}/sms`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ from: `+2237000010${i % 2}`, to: '36000', text, id: `console-${i}` }),
      });
      expect(answer.status).toBe(200);
    }
    const sessionId = newSessionId();
    for (const text of USSD_HOPS) {
      expect((await atHop(running.baseUrl, { sessionId, phone: '+22370000200', text })).status).toBe(200);
    }
    for (const event of PORT_EVENTS) running.service.analytics.record(event);
    await running.service.sms.flush();
    await running.service.consoleAnalytics!.flush();

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.setDefaultTimeout(8_000);
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith(running.baseUrl)) problems.push(`outside request: ${request.url()}`);
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('when /admin is opened, then the login page shows and a wrong password is refused', async () => {
    await page.goto(`${running.baseUrl}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await page.locator('#name').fill('ed');
    await page.locator('#password').fill('not it');
    await page.locator('form button[type=submit]').click();
    await page.locator('.error[role=alert]').waitFor();
    expect(await page.locator('.error').innerText()).toBe('Identifiant ou mot de passe incorrect.');
    await shot('login-refused');
    // The refused login is a 401 page: the browser reports it, and only it.
    expect(problems).toEqual([expect.stringContaining('status of 401')]);
    problems.length = 0;
  });

  it('when the editor signs in, then the dashboard shows the figures of the traffic sent, with its charts drawn', async () => {
    await page.locator('#name').fill('ed');
    await page.locator('#password').fill(PASSWORDS.ed);
    await page.locator('form button[type=submit]').click();
    await page.waitForSelector('body[data-charts="ready"]');
    expect(new URL(page.url()).pathname).toBe('/admin/dashboard');

    // Replies: the real SMS and USSD requests (lang "und" through the interim bridge), and the port's.
    const byChannel = Object.fromEntries(
      (await rows('by-channel')).map(([channel, count]) => [channel, Number(count)]),
    );
    expect(byChannel).toEqual({ sms: SMS_SENT.length, ussd: USSD_HOPS.length + 1, telegram: 3 });
    const metrics = await (await fetch(`${running.baseUrl}/metrics`)).text();
    for (const channel of ['sms', 'ussd']) {
      const prometheus = [
        ...metrics.matchAll(
          new RegExp(`^dim_replies_total\\{channel="${channel}",kind="[^"]+"\\} (\\d+)`, 'gm'),
        ),
      ]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
      // The port's USSD reply is the console's only: /metrics counts the real requests.
      expect(prometheus, channel).toBe(channel === 'sms' ? SMS_SENT.length : USSD_HOPS.length);
    }
    expect(metrics).toMatch(/^dim_feedback_total\{channel="telegram",value="useful"\} 2$/m);
    expect(metrics).toMatch(/^dim_menu_screens_total\{channel="ussd",event="dropped"\} 1$/m);
    const byLang = Object.fromEntries((await rows('by-lang')).map(([lang, count]) => [lang, Number(count)]));
    expect(byLang).toEqual({ und: SMS_SENT.length + USSD_HOPS.length, en: 3, fr: 1 });
    expect(Number(await page.locator('#total-replies').innerText())).toBe(
      SMS_SENT.length + USSD_HOPS.length + 4,
    );
    expect(Number(await page.locator('#total-people').innerText())).toBe(PEOPLE);

    // Recommendations, themes, screens, feedback, the searches without result.
    expect(await rows('recommendations')).toEqual([
      ['2.10', '2'],
      ['5.41', '1'],
    ]);
    expect(await rows('themes')).toEqual([
      ['2', '2'],
      ['3', '1'],
      ['5', '1'],
    ]);
    expect(await rows('screens')).toEqual([
      ['ussd', 'home', '2', '1', '50 %'],
      ['voice', 'themes', '1', '0', '0 %'],
    ]);
    expect(await rows('feedback')).toEqual([['2.10', '2', '1']]);
    const misses = await rows('misses');
    expect(misses.map((row) => row.slice(0, 4))).toEqual([['ameliorees semences', '5', '0', '5']]);

    // SMS segments: what the outbox took, priced at SMS_SEGMENT_COST.
    const outbox = (await (await fetch(`${running.baseUrl}/dev/outbox`)).json()) as Array<{
      segments: number;
    }>;
    const segments = outbox.reduce((sum, entry) => sum + entry.segments, 0);
    expect(segments).toBeGreaterThan(0);
    expect(Number(await page.locator('#total-segments').innerText())).toBe(segments);
    expect(await page.locator('#total-cost').innerText()).toBe(`${(segments * 15).toFixed(2)} XOF`);

    for (const chart of ['repliesPerDay', 'peoplePerDay', 'byKind', 'themes', 'screens']) {
      expect(await page.locator(`#chart-${chart}`).getAttribute('data-drawn'), chart).toBe('true');
    }
    await shot('dashboard');
  });

  it('when a table is exported, then the CSV holds the same rows', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('a[href^="/admin/export/by-channel.csv"]').click(),
    ]);
    const file = await download.path();
    const csv = readFileSync(file, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^dim-by-channel-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('Canal,Nombre');
    expect(new Set(lines.slice(1))).toEqual(
      new Set([`sms,${SMS_SENT.length}`, `ussd,${USSD_HOPS.length + 1}`, 'telegram,3']),
    );
  });

  it('when the editor marks a search "to fix", then it lands on the list and in the audit log', async () => {
    await page.locator('#table-misses button', { hasText: 'À corriger' }).click();
    await page.waitForSelector('body[data-charts="ready"]');
    expect((await rows('tofix')).map((row) => row.slice(0, 2))).toEqual([['ameliorees semences', 'ed']]);
    expect(await page.locator('#table-misses').innerText()).toContain('Dans la liste');
    await page.locator('#tofix').scrollIntoViewIfNeeded();
    await shot('to-fix');
    await page.locator('nav a', { hasText: 'Journal des modifications' }).click();
    const audit = await rows('audit');
    expect(audit.map((row) => row.slice(1))).toEqual([
      ['ed', 'tofix.add', 'ameliorees semences'],
      ['ed', 'login', 'editor'],
    ]);
    await shot('audit-log');
  });

  it('when the range is a single earlier day, then nothing of today is counted', async () => {
    await page.goto(`${running.baseUrl}/admin/dashboard`);
    const today = await page.locator('#to').inputValue();
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await page.locator('#from').fill(yesterday);
    await page.locator('#to').fill(yesterday);
    await page.locator('form.range button').click();
    await page.waitForSelector('body[data-charts="ready"]');
    expect(new URL(page.url()).searchParams.get('to')).toBe(yesterday);
    expect(await page.locator('#total-replies').innerText()).toBe('0');
  });

  it('when read in English on a phone-sized screen, then nothing overflows and no error or outside request happened', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${running.baseUrl}/admin/dashboard?lang=en`);
    await page.waitForSelector('body[data-charts="ready"]');
    expect(await page.locator('h1').innerText()).toBe("Operators' console");
    const overflow = await page.evaluate(() => {
      const { document, innerWidth } = globalThis as unknown as Browserish;
      return document.documentElement.scrollWidth - innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('dashboard-english-narrow');
    expect(problems).toEqual([]);
  });
});
