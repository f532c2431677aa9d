import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, launchChromium, watchPage } from './support/browser.js';
import type { Corpus } from '../src/content/schema.js';
import { t } from '../src/i18n/index.js';
import { gsm7Length, toGsm7 } from '../src/text/gsm7.js';
import { startService, type RunningService } from './support/service.js';

/**
 * Drives the phone simulator in headless Chromium against the real service: the USSD handset
 * over POST /ussd, the SMS thread over POST /sms and GET /dev/outbox, the search box over
 * /api/search. Keeps a screenshot of each step under test-results/simulator/ (a CI artifact).
 */
const SHOTS = join(process.cwd(), 'test-results', 'simulator');
const SERVICE_CODE = '*384*12#';

/** The little of the DOM the page-side callbacks read (the project compiles without lib "dom"). */
interface BrowserElement {
  id: string;
  outerHTML: string;
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  labels?: { length: number } | null;
  getAttribute(name: string): string | null;
}
interface Browserish {
  innerWidth: number;
  document: {
    documentElement: { lang: string; scrollWidth: number };
    querySelector(selector: string): BrowserElement | null;
    querySelectorAll(selector: string): Iterable<BrowserElement>;
  };
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The menu lines of a USSD screen: "1 Thèmes" → { key: '1', label: 'Thèmes' }. */
function choices(screen: string): Array<{ key: string; label: string }> {
  return screen
    .split('\n')
    .map((line) => /^(\d{1,2})[.)]?\s+(.+)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ key: m[1]!, label: m[2]!.trim() }));
}

function keyFor(screen: string, label: string): string {
  const wanted = squash(toGsm7(label)).toLowerCase();
  const found = choices(screen).find((c) => squash(c.label).toLowerCase().startsWith(wanted));
  if (!found) throw new Error(`no choice "${label}" on the screen:\n${screen}`);
  return found.key;
}

describeWithChromium('the phone simulator in a browser', () => {
  let running: RunningService;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let step = 0;
  /** Screens the later steps come back to. */
  let homeScreen = '';
  let themeScreen = '';
  let themesKey = '';
  let themeKey = '';
  const problems: string[] = [];
  /** The forms the page posted to /ussd, in order: what the gateway would have sent. */
  const ussdHops: Array<Record<string, string>> = [];
  const corpus = JSON.parse(readFileSync('content/recommendations.json', 'utf8')) as Corpus;

  const shot = async (name: string) => {
    step += 1;
    await page.screenshot({
      path: join(SHOTS, `${String(step).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
  };
  const screenText = () => page.locator('#screen-text').innerText();
  /** Waits for the handset to settle after a request and returns what the screen shows. */
  const settled = async (state: 'session' | 'ended' = 'session') => {
    await page.waitForSelector(`#phone[data-state="${state}"]`);
    return screenText();
  };
  const answer = async (input: string) => {
    const before = await screenText();
    await page.locator('#line-input').fill(input);
    await page.keyboard.press('Enter');
    await page.waitForFunction((previous) => {
      const { document } = globalThis as unknown as Browserish;
      const phone = document.querySelector('#phone');
      const text = document.querySelector('#screen-text')?.textContent ?? '';
      return phone?.dataset.state !== 'busy' && text !== previous;
    }, before);
    return screenText();
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'dim-browser-'));
    running = await startService({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // A broken step fails in seconds with the selector it waited for, not at the test timeout.
    page.setDefaultTimeout(8_000);
    watchPage(page, running.baseUrl, problems);
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/ussd') {
        ussdHops.push(Object.fromEntries(new URLSearchParams(request.postData() ?? '')));
      }
    });
    await page.goto(`${running.baseUrl}/simulator`);
    await page.waitForSelector('body[data-ready="true"]');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the page opens, then it shows the idle phone with labelled controls and makes no outside request', async () => {
    expect(await page.locator('h1').innerText()).toBe(t('fr', 'web.title'));
    expect(await screenText()).toContain(SERVICE_CODE);
    // Every form control has a label; every button has a name.
    const unnamed = await page.evaluate(() => {
      const bad: string[] = [];
      const { document } = globalThis as unknown as Browserish;
      for (const el of document.querySelectorAll('input, textarea')) {
        if (el.labels?.length === 0) bad.push(el.id);
      }
      for (const el of document.querySelectorAll('button')) {
        if (!(el.getAttribute('aria-label') || el.textContent?.trim())) bad.push(el.outerHTML);
      }
      return bad;
    });
    expect(unnamed).toEqual([]);
    expect(await page.locator('#screen-text').getAttribute('aria-live')).toBe('polite');
    await shot('idle');
    expect(problems).toEqual([]);
  });

  it('when the code is dialled on the on-screen keypad, then the real /ussd home menu shows with its character count', async () => {
    for (const key of SERVICE_CODE) await page.locator(`#keypad button[data-key="${key}"]`).click();
    expect(await page.locator('#line-input').inputValue()).toBe(SERVICE_CODE);
    await page.locator('#key-call').click();
    const home = await settled();
    homeScreen = home;
    expect(choices(home).length).toBeGreaterThanOrEqual(3);
    expect(home).toContain(toGsm7(t('fr', 'ussd.home.themes')));
    const counter = await page.locator('#screen-counter').innerText();
    expect(counter).toContain(`${gsm7Length(home)} / ${running.config.USSD_MAX_CHARS}`);
    await shot('home-menu');
  });

  it('when theme 2 is opened with the keyboard, then its screen names theme 2', async () => {
    const home = await screenText();
    themesKey = keyFor(home, t('fr', 'ussd.home.themes'));
    const themes = await answer(themesKey);
    const theme2 = corpus.themes.find((theme) => theme.number === 2)!;
    themeKey = keyFor(themes, theme2.short);
    themeScreen = await answer(themeKey);
    expect(themeScreen).toMatch(/2/);
    const firstLabels = corpus.recommendations.filter((r) => r.theme === 2).slice(0, 2);
    for (const r of firstLabels) expect(squash(themeScreen)).toContain(squash(toGsm7(r.label)).slice(0, 12));
    await shot('theme-2');
  });

  it('when 15 is typed on theme 2, then recommendation 2.15 opens with the report’s own opening words', async () => {
    const screen = await answer('15');
    const rec = corpus.recommendations.find((r) => r.id === '2.15')!;
    const opening = rec.text.split(/\s+/).slice(0, 6).join(' ');
    expect(screen).toContain('2.15');
    expect(squash(screen)).toContain(squash(toGsm7(opening)));
    // One session so far, and AT's text: every input of the session joined by '*'.
    expect(new Set(ussdHops.map((hop) => hop.sessionId)).size).toBe(1);
    expect(ussdHops.map((hop) => hop.text)).toEqual([
      '',
      themesKey,
      `${themesKey}*${themeKey}`,
      `${themesKey}*${themeKey}*15`,
    ]);
    expect(ussdHops[0]).toMatchObject({
      serviceCode: SERVICE_CODE,
      phoneNumber: expect.stringMatching(/^\+\d{8,15}$/),
    });
    await shot('recommendation-2.15');
  });

  it('when back is pressed, then the theme 2 screen comes back as it was', async () => {
    const screen = await answer(running.config.USSD_KEY_BACK);
    expect(screen).toBe(themeScreen);
    await shot('back-to-theme-2');
  });

  it('when Escape hangs up, then the session ends on the handset and the next dial gets a fresh session', async () => {
    await page.locator('#line-input').focus();
    await page.keyboard.press('Escape');
    await page.waitForSelector('#phone[data-state="idle"]');
    expect(await screenText()).toBe(t('fr', 'web.phone.cancelled'));
    // A dial string with extra parts opens straight on them: *384*12*<themes key># skips the home menu.
    expect(keyFor(homeScreen, t('fr', 'ussd.home.themes'))).toBe(themesKey);
    const hopsBefore = ussdHops.length;
    await page.locator('#line-input').fill(`${SERVICE_CODE.slice(0, -1)}*${themesKey}#`);
    await page.keyboard.press('Enter');
    const screen = await settled();
    expect(screen).toContain(toGsm7(t('fr', 'ussd.themes.title')));
    const redial = ussdHops[hopsBefore]!;
    expect(redial.text).toBe(themesKey);
    expect(redial.sessionId).not.toBe(ussdHops[0]!.sessionId);
    await page.locator('#key-end').click();
    await page.waitForSelector('#phone[data-state="idle"]');
    await shot('shortcut-dial');
  });

  it('when 0 is chosen on the home menu, then the service’s END closes the session and any key brings the handset back', async () => {
    await page.locator('#line-input').fill(SERVICE_CODE);
    await page.keyboard.press('Enter');
    const home = await settled();
    expect(keyFor(home, t('fr', 'ussd.home.quit'))).toBe(running.config.USSD_KEY_BACK);
    await page.locator('#line-input').fill(running.config.USSD_KEY_BACK);
    await page.keyboard.press('Enter');
    expect(squash(await settled('ended'))).toBe(squash(toGsm7(t('fr', 'ussd.bye'))));
    expect(await page.locator('#line-input').getAttribute('readonly')).not.toBeNull();
    await shot('end-from-service');
    await page.keyboard.press('5');
    await page.waitForSelector('#phone[data-state="idle"]');
    expect(await page.locator('#line-input').inputValue()).toBe('');
  });

  it('when more than a handset takes is typed, then the line keeps dial characters only, up to 182', async () => {
    const line = page.locator('#line-input');
    await line.focus();
    await page.keyboard.type(`ab${'1'.repeat(200)}`);
    expect(await line.inputValue()).toBe('1'.repeat(182));
    expect(await page.locator('#input-counter').innerText()).toContain('182 / 182');
    await line.fill('');
  });

  it('when 2.15 is dialled by its shortcut and "get it by SMS" chosen, then that SMS lands in the thread', async () => {
    const numberKey = keyFor(homeScreen, t('fr', 'ussd.home.number'));
    await page.locator('#line-input').fill(`${SERVICE_CODE.slice(0, -1)}*${numberKey}*215#`);
    await page.keyboard.press('Enter');
    const screen = await settled();
    expect(screen).toContain('2.15');
    await answer(keyFor(screen, t('fr', 'ussd.nav.sms')));
    const reply = page.locator('#sms-thread .bubble.in').first();
    await reply.waitFor();
    const rec = corpus.recommendations.find((r) => r.id === '2.15')!;
    expect(squash(await reply.locator('.body').innerText())).toContain(
      squash(toGsm7(rec.text.split(/\s+/).slice(0, 6).join(' '))),
    );
    await page.locator('#key-end').click();
    await page.waitForSelector('#phone[data-state="idle"]');
    await shot('ussd-sends-sms');
  });

  it('when "eau" is sent by SMS, then the reply from the outbox shows in the thread with its segments and encoding', async () => {
    const before = await page.locator('#sms-thread .bubble.in').count();
    await page.locator('#sms-text').fill('eau');
    await page.locator('#sms-send').click();
    const reply = page.locator('#sms-thread .bubble.in').nth(before);
    await reply.waitFor({ timeout: 10_000 });
    const outbox = (await (await fetch(`${running.baseUrl}/dev/outbox`)).json()) as Array<{
      text: string;
      segments: number;
      encoding: string;
    }>;
    const sent = outbox.at(-1)!;
    expect(squash(await reply.locator('.body').innerText())).toBe(squash(sent.text));
    const meta = await reply.locator('.meta').innerText();
    expect(meta).toContain(sent.encoding);
    expect(meta).toContain(sent.segments === 1 ? '1 segment' : `${sent.segments} segments`);
    const top = (await (await fetch(`${running.baseUrl}/api/search?q=eau&limit=1`)).json()) as {
      results: Array<{ id: string }>;
    };
    expect(sent.text).toContain(top.results[0]!.id);
    await shot('sms-eau');
  });

  it("when another tester's phone gets a reply meanwhile, then it never shows in this page's thread", async () => {
    const before = await page.locator('#sms-thread .bubble.in').count();
    const other = await fetch(`${running.baseUrl}/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        from: '+22379999999',
        to: '36000',
        text: 'AIDE',
        id: `other-${Date.now()}`,
      }),
    });
    expect(other.status).toBe(200);
    // Then this page's own message: its reply must be the only new bubble.
    await page.locator('#sms-text').fill('T1');
    await page.locator('#sms-send').click();
    await page.locator('#sms-thread .bubble.in').nth(before).waitFor({ timeout: 10_000 });
    await page.waitForTimeout(2_500); // a slow poll later, still nothing of the other phone's
    const texts = await page.locator('#sms-thread .bubble.in .body').allInnerTexts();
    expect(texts.length).toBe(before + 1);
    expect(squash(texts.at(-1)!)).toContain('1.1');
  });

  it('when "eau" is searched in the search box, then the API results are listed', async () => {
    await page.locator('#search-q').fill('eau');
    await page.locator('#search-q').press('Enter');
    await page.locator('#search-results li').first().waitFor();
    const api = (await (await fetch(`${running.baseUrl}/api/search?q=eau&limit=10`)).json()) as {
      results: Array<{ id: string }>;
    };
    const headings = await page.locator('#search-results h3').allInnerTexts();
    expect(headings.map((h) => h.split(' ')[0])).toEqual(api.results.map((r) => r.id));
    await shot('search-eau');
  });

  it('when the language is switched, then the page reads in English from the catalog', async () => {
    await page.locator('#lang-toggle').click();
    expect(await page.locator('h1').innerText()).toBe(t('en', 'web.title'));
    expect(await page.locator('#key-call').innerText()).toBe(t('en', 'web.phone.call'));
    const lang = await page.evaluate(
      () => (globalThis as unknown as Browserish).document.documentElement.lang,
    );
    expect(lang).toBe('en');
    await shot('english');
  });

  it('when the page is shown on a phone-sized screen, then nothing overflows sideways', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = await page.evaluate(() => {
      const { document, innerWidth } = globalThis as unknown as Browserish;
      return document.documentElement.scrollWidth - innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('narrow-screen');
    expect(problems).toEqual([]);
  });
});
