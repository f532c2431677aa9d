import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import decodeQR from 'qr/decode.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { languages, t } from '../src/i18n/index.js';
import { describeWithChromium, launchChromium, watchPage } from './support/browser.js';
import { startService, type RunningService } from './support/service.js';
import { PAGE_BUDGET_BYTES, PAGE_KINDS, SITE_ENV, withLang } from './support/site.js';

/**
 * The public site as a phone shows it: headless Chromium at 360 px with JavaScript off, every
 * page kind in every language checked by axe-core, nothing asked of another host, the first
 * page under a throttled slow-3G profile. Screenshots of each page kind in each language go to
 * test-results/site/ (a CI artifact, not committed).
 */
const SHOTS = join(process.cwd(), 'test-results', 'site');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** Chrome DevTools' "Slow 3G": 2 s of latency a request, 400 kbit/s each way. */
const SLOW_3G = { latencyMs: 2000, bytesPerSecond: (500 * 1000 * 0.8) / 8 };
const USABLE_WITHIN_MS = 3000;
const PHONE = { width: 360, height: 740 };

interface AxeViolation {
  id: string;
  help: string;
  nodes: Array<{ target: string[] }>;
}
/** The little of the DOM the page-side callbacks read (the project compiles without lib "dom"). */
interface Browserish {
  innerWidth: number;
  axe: {
    run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[]; passes: unknown[] }>;
  };
  document: {
    documentElement: { scrollWidth: number };
    querySelector(selector: string): unknown;
  };
  getComputedStyle(element: unknown): { display: string; backgroundColor: string };
  performance: {
    getEntriesByType(type: string): Array<{
      transferSize: number;
      fetchStart: number;
      responseEnd: number;
      loadEventEnd: number;
    }>;
  };
}
declare const window: Browserish;

describeWithChromium('the public site in a browser', () => {
  let running: RunningService;
  let browser: Browser;
  let dataDir: string;
  const problems: string[] = [];

  beforeEach(() => {
    problems.length = 0;
  });

  /** A phone with JavaScript off; every request and console error of its pages is watched. */
  const phone = async (): Promise<BrowserContext> =>
    browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
  const open = async (context: BrowserContext, path: string): Promise<Page> => {
    const page = await context.newPage();
    // The 404 page's own status is logged by Chromium as a console error: expected there only.
    watchPage(page, running.baseUrl, problems, path.startsWith('/r/9.99') ? [] : ['error']);
    const response = await page.goto(`${running.baseUrl}${path}`, { waitUntil: 'load' });
    expect(response, path).not.toBeNull();
    return page;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dim-site-browser-'));
    running = await startService({ ...SITE_ENV, DATA_DIR: dataDir });
    // Some news, so the home page, the filters and a recommendation show statuses.
    for (const [id, status, date] of [
      ['2.15', 'done', '2025-01-10'],
      ['2.3', 'in_progress', '2025-02-11'],
      ['4.11', 'announced', '2025-03-12'],
    ] as const) {
      await running.service.followUp.followUps.publish(id, {
        status,
        date,
        source: 'https://www.sgg-mali.ml/journal-officiel',
        editor: 'Awa',
      });
    }
    await running.service.followUpSnapshot.refresh();
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when every page kind is opened in each language at 360 px, then axe finds no violation and the page fits the screen', async () => {
    // axe is a script that needs timers: it runs in a context with scripts on and the policy
    // bypassed for it alone. The pages have no script of their own, so what it checks is what a
    // phone with JavaScript off shows (the tests below open them with JavaScript off).
    const context = await browser.newContext({ viewport: PHONE, bypassCSP: true });
    try {
      for (const { kind, path } of PAGE_KINDS) {
        for (const { code } of languages()) {
          const page = await open(context, withLang(path, code));
          await page.evaluate(AXE);
          const { violations, passes } = await page.evaluate(() =>
            window.axe.run(window.document, {
              runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
            }),
          );
          const found = violations.map(
            (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
          );
          expect(found, `${kind} ${code}`).toEqual([]);
          expect(passes.length, 'axe ran its rules').toBeGreaterThan(10);
          const width = await page.evaluate(() => window.document.documentElement.scrollWidth);
          expect(width, `${kind} ${code}: no sideways scrolling`).toBeLessThanOrEqual(PHONE.width);
          await page.screenshot({ path: join(SHOTS, `${kind}-${code}.png`), fullPage: true });
          await page.close();
        }
      }
    } finally {
      await context.close();
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it('when every page kind loads in each language with JavaScript off under its own policy, then the inline style applies, it fits 360 px and nothing comes from another host', async () => {
    const context = await phone();
    try {
      for (const { path } of PAGE_KINDS) {
        for (const { code } of languages()) {
          const page = await open(context, withLang(path, code));
          const header = await page.evaluate(
            () => window.getComputedStyle(window.document.querySelector('header')).backgroundColor,
          );
          // The stylesheet is allowed by its hash: refused, the header would have no colour.
          expect(header, path).toBe('rgb(11, 61, 46)');
          const width = await page.evaluate(() => window.document.documentElement.scrollWidth);
          expect(width, `${path} ${code}`).toBeLessThanOrEqual(PHONE.width);
          expect(await page.locator('h1').count()).toBe(1);
          await page.close();
        }
      }
    } finally {
      await context.close();
    }
    // CSP refusals are console errors: none, and no request left the service.
    expect(problems).toEqual([]);
  }, 120_000);

  it('when a person searches and switches language with JavaScript off, then plain forms and links do it', async () => {
    const context = await phone();
    try {
      const page = await open(context, '/');
      await page.fill('#q', 'eau potable');
      await Promise.all([page.waitForURL(/\/search\?q=eau\+potable/), page.press('#q', 'Enter')]);
      expect(await page.locator('main .list li').count()).toBeGreaterThan(0);
      await Promise.all([page.waitForURL(/lang=bm/), page.click('a[hreflang="bm"]')]);
      expect(await page.locator('html').getAttribute('lang')).toBe('bm');
      expect(await page.locator('#q').inputValue()).toBe('eau potable');
      await page.fill('#q', '2.15');
      await Promise.all([page.waitForURL(/\/r\/2\.15\?lang=bm$/), page.press('#q', 'Enter')]);
      expect(await page.locator('h1').textContent()).toBe(t('bm', 'recommendation.title', { id: '2.15' }));
      await page.close();
    } finally {
      await context.close();
    }
    expect(problems).toEqual([]);
  });

  it('when a recommendation is printed, then navigation is left out and the report’s words stay', async () => {
    const context = await phone();
    try {
      const page = await open(context, '/r/2.15');
      await page.emulateMedia({ media: 'print' });
      const shown = await page.evaluate(() =>
        ['header', '.share', '.phone', 'blockquote', '.qr'].map(
          (selector) => window.getComputedStyle(window.document.querySelector(selector)).display,
        ),
      );
      expect(shown).toEqual(['none', 'none', 'none', 'block', 'block']);
      await page.screenshot({ path: join(SHOTS, 'recommendation-print.png'), fullPage: true });
      await page.close();
    } finally {
      await context.close();
    }
  });

  it('when the first page is opened on a throttled slow-3G network, then it is one request small enough to be usable within 3 s', async () => {
    const context = await phone();
    try {
      for (const { kind, path } of PAGE_KINDS.filter((p) => p.kind !== 'not-found')) {
        const page = await context.newPage();
        watchPage(page, running.baseUrl, problems);
        const requests: string[] = [];
        page.on('request', (request) => requests.push(request.url()));
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', {
          offline: false,
          latency: SLOW_3G.latencyMs,
          downloadThroughput: SLOW_3G.bytesPerSecond,
          uploadThroughput: SLOW_3G.bytesPerSecond,
        });
        await page.goto(`${running.baseUrl}${path}`, { waitUntil: 'load', timeout: 60_000 });
        const [nav] = await page.evaluate(() => window.performance.getEntriesByType('navigation'));
        // The throttling was on: the browser got the page no sooner than the profile's latency.
        expect(nav!.responseEnd - nav!.fetchStart, kind).toBeGreaterThanOrEqual(SLOW_3G.latencyMs - 50);
        expect(nav!.loadEventEnd, `${kind}: the load event fired`).toBeGreaterThan(0);
        // What decides the time under the profile, not a stopwatch: one request (no style sheet,
        // font, script or image to fetch after it) and the bytes it carried.
        expect(requests, kind).toEqual([`${running.baseUrl}${path}`]);
        expect(nav!.transferSize, kind).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
        const modelled = SLOW_3G.latencyMs + (nav!.transferSize / SLOW_3G.bytesPerSecond) * 1000;
        expect(modelled, `${kind}: latency + bytes / bandwidth`).toBeLessThan(USABLE_WITHIN_MS);
        await cdp.detach();
        await page.close();
      }
    } finally {
      await context.close();
    }
    expect(problems).toEqual([]);
  });

  it('when the QR code of a page is scanned, then it reads the page’s public address', async () => {
    const html = await (await fetch(`${running.baseUrl}/r/2.15?lang=bm`)).text();
    const svg = /<svg [^>]*viewBox[\s\S]*?<\/svg>/.exec(html)![0];
    // Drawn as a camera would see it: the SVG rasterised by the browser, then decoded by qr.
    const context = await browser.newContext({ viewport: { width: 400, height: 400 } });
    try {
      const page = await context.newPage();
      await page.setContent(
        `<body style="margin:0;background:#fff">${svg.replace('<svg ', '<svg width="300" height="300" ')}</body>`,
      );
      const png = await page.screenshot({ clip: { x: 0, y: 0, width: 300, height: 300 } });
      await page.setContent('<canvas id="c" width="300" height="300"></canvas>');
      const pixels = await page.evaluate(async (data: string) => {
        const w = window as unknown as {
          Image: new () => { src: string; decode(): Promise<void> };
          document: {
            getElementById(id: string): {
              getContext(kind: string): {
                drawImage(image: unknown, x: number, y: number): void;
                getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
              };
            };
          };
        };
        const image = new w.Image();
        image.src = `data:image/png;base64,${data}`;
        await image.decode();
        const context2d = w.document.getElementById('c').getContext('2d');
        context2d.drawImage(image, 0, 0);
        return [...context2d.getImageData(0, 0, 300, 300).data];
      }, png.toString('base64'));
      const text = decodeQR({ width: 300, height: 300, data: Uint8Array.from(pixels) });
      expect(text).toBe(`${SITE_ENV.PUBLIC_BASE_URL}/r/2.15?lang=bm`);
      await page.close();
    } finally {
      await context.close();
    }
  });
});
