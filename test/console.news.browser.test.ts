import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, launchChromium, watchPage } from './support/browser.js';
import { t } from '../src/i18n/index.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { PASSWORDS, consoleUsers } from './support/console.js';
import { startFakeBotApi, type FakeBotApi } from './support/fake-bot-api.js';
import { describeWithRedis } from './support/redis.js';
import { SECRETS, telegramWebhookEnv } from './support/reliability.js';
import { startService, type RunningService } from './support/service.js';
import { textMessage } from './support/telegram.js';
import { AtSession } from './support/ussd.js';

/**
 * Issue 20 as operators and citizens meet it, in headless Chromium against one real service on
 * a real Redis (broadcasts run on BullMQ there):
 * - an editor publishes a follow-up for 2.10 in the console; the next SMS, USSD and Telegram
 *   answers for 2.10 show it with its source; SUIVI 2.11 stays honest;
 * - people subscribe by SMS (French and English) and Telegram, two send STOP; a broadcaster
 *   types a message (the counter shows segments and encoding as they type), runs the dry run,
 *   sends, and watches the tally reach its end; what the gateway received matches the tally.
 * Screenshots stay under test-results/console-news/ (the broadcast page's among them).
 */
const SHOTS = join(process.cwd(), 'test-results', 'console-news');
const HOOK_PATH = '/tg/news-hook';
const SOURCE = 'Charte pour la paix et la réconciliation nationale, 7 août 2025';
const FR_TEXT = 'Suivi 2.10 : annoncée dans la Charte du 7/8/2025. Envoyez SUIVI 2.10 pour le détail.';
const BM_TEXT = 'Kunnafoni 2.10: a fɔra Charte kɔnɔ. SUIVI 2.10 ka a bɛɛ lajɛ.';
const FR_SUBSCRIBERS = ['+22370010001', '+22370010002', '+22370010003', '+22370010004'];
const EN_SUBSCRIBERS = ['+22370010011', '+22370010012', '+22370010013'];
const STOPPING = FR_SUBSCRIBERS.slice(0, 2);
const TG_CHAT = 770001;

describeWithRedis('follow-ups and broadcasts through the console, in a browser', (redisUrl) => {
  describeWithChromium('with Chromium', () => {
    let running: RunningService;
    let api: FakeBotApi;
    let browser: Browser;
    let page: Page;
    let dataDir: string;
    let smsId = 0;
    let updateId = 100;
    const problems: string[] = [];

    const sms = async (from: string, text: string): Promise<string> => {
      const outbox = running.service.sms.outbox!;
      const before = outbox.list().length;
      const answer = await fetch(`${running.baseUrl}/sms`, {
        method: 'POST',
        body: new URLSearchParams({ from, to: '36000', text, id: `news-b-${++smsId}` }),
      });
      expect(answer.status).toBe(200);
      await running.service.sms.flush();
      return outbox
        .list()
        .slice(before)
        .map((e) => e.text)
        .join('\n');
    };
    const telegram = async (text: string): Promise<string> => {
      const before = api.calls.length;
      const answer = await fetch(`${running.baseUrl}${HOOK_PATH}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-telegram-bot-api-secret-token': SECRETS.TELEGRAM_WEBHOOK_SECRET,
        },
        body: JSON.stringify({ update_id: ++updateId, ...textMessage(text, { id: TG_CHAT }) }),
      });
      expect(answer.status).toBe(200);
      return api.calls
        .slice(before)
        .filter((c) => c.method === 'sendMessage')
        .map((c) => String(c.payload.text))
        .join('\n');
    };
    const signIn = async (name: keyof typeof PASSWORDS) => {
      await page.context().clearCookies();
      await page.goto(`${running.baseUrl}/admin/login`);
      await page.locator('#name').fill(name);
      await page.locator('#password').fill(PASSWORDS[name]);
      await page.locator('form button[type=submit]').click();
      await page.waitForURL(/\/admin\/dashboard/);
    };
    const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      dataDir = mkdtempSync(join(tmpdir(), 'dim-news-browser-'));
      api = await startFakeBotApi();
      running = await startService({
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: `news-${process.pid}-${Date.now()}:`,
        CONSOLE_USERS: await consoleUsers(),
        SUBSCRIBERS_KEY: 'n'.repeat(40),
        BROADCAST_TELEGRAM_PER_SECOND: '20',
        SMS_SEGMENT_COST: '25',
        ...telegramWebhookEnv(HOOK_PATH, api.url),
      });
      await api.waitFor('setWebhook');
      browser = await launchChromium();
      page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
      page.setDefaultTimeout(10_000);
      watchPage(page, running.baseUrl, problems, []);
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await running?.close();
      await api?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('when an editor publishes a follow-up for 2.10 in the console, then SMS, USSD and Telegram show it with its source, and SUIVI 2.11 stays honest', async () => {
      await signIn('ed');
      await page.locator('nav a[href="/admin/followups"]').click();
      await page.locator('#rec').fill('2.10');
      await page.locator('form[action="/admin/followups/open"] button').click();
      await page.waitForURL(/\/admin\/followups\/2\.10$/);
      expect(await page.locator('#current-followup').innerText()).toBe(
        t('fr', 'followup.none').replace(/'/g, '’'),
      );
      await page.locator('#status').selectOption('announced');
      await page.locator('#date').fill('2025-08-07');
      await page.locator('#source').fill(SOURCE);
      await page.locator('#note').fill('Annoncée ; décret attendu.');
      await page.locator('.followup-form button[type=submit]').click();
      await page.locator('.ok[role=status]').waitFor();
      expect(await page.locator('#current-followup').getAttribute('data-version')).toBe('1');
      await shot('01-followup-published');

      const announced = t('fr', 'followup.status.announced');
      const bySms = await sms('+22370010099', '2.10');
      expect(bySms).toContain(toGsm7(`Suivi : ${announced}`));
      expect(bySms).toContain(toGsm7('Charte pour la paix'));

      const session = new AtSession(running.baseUrl);
      let screen = await session.dial('3', '210');
      const seen = [screen.screen];
      for (let i = 0; i < 10 && !seen.join('\n').includes('Suivi'); i++) {
        if (!screen.lines.some((l) => l.startsWith('98 '))) break;
        screen = await session.type('98');
        seen.push(screen.screen);
      }
      expect(seen.join('\n')).toContain(toGsm7(`Suivi : ${announced}`));

      const byTelegram = await telegram('2.10');
      expect(byTelegram).toContain(announced);
      expect(byTelegram).toContain('Charte pour la paix');

      expect(await sms('+22370010099', 'SUIVI 2.11')).toContain(
        toGsm7('Aucune information officielle de suivi à ce jour'),
      );
    }, 60_000);

    it('when a broadcaster writes, dry-runs and sends to the subscribers, then each gets it once, nobody who sent STOP does, and the page shows the final tally', async () => {
      for (const phone of FR_SUBSCRIBERS) await sms(phone, 'ABONNE');
      for (const phone of EN_SUBSCRIBERS) {
        await sms(phone, 'EN');
        expect(await sms(phone, 'SUBSCRIBE')).toContain('news');
      }
      expect(await telegram('ABONNE')).toContain('nouvelles');
      for (const phone of STOPPING) await sms(phone, 'STOP');

      await signIn('bob');
      await page.goto(`${running.baseUrl}/admin/broadcasts`);
      await page.locator('#text-fr').pressSequentially(FR_TEXT.slice(0, 20));
      await page.locator('#text-fr').fill(FR_TEXT);
      await page.locator('#text-fr').dispatchEvent('input');
      await expect
        .poll(() => page.locator('#count-fr').innerText())
        .toBe(`${FR_TEXT.length} caractères · 1 SMS · GSM-7`);
      await page.locator('#text-bm').fill(BM_TEXT);
      await page.locator('#text-bm').dispatchEvent('input');
      await expect
        .poll(() => page.locator('#count-bm').innerText())
        .toBe(`${[...BM_TEXT].length} caractères · 1 SMS · UCS-2`);
      await shot('02-broadcast-composer');
      await page.locator('#composer button[type=submit]').click();
      await page.locator('#dry-run').waitFor();
      const subscribers = FR_SUBSCRIBERS.length - STOPPING.length + EN_SUBSCRIBERS.length + 1;
      expect(await page.locator('#plan-recipients').innerText()).toBe(String(subscribers));
      // SMS: 2 French and 3 English people at one segment each (the English get the French text).
      expect(await page.locator('#plan-segments').innerText()).toBe('5');
      await shot('03-broadcast-dry-run');
      await page.locator('#send').click();
      await page.waitForURL(/\/admin\/broadcasts\/b[0-9a-z]+$/);
      const row = page.locator('#table-broadcasts tbody tr');
      await expect.poll(() => row.getAttribute('data-finished'), { timeout: 20_000 }).toBe('true');
      const cell = (field: string) => row.locator(`td[data-field="${field}"]`).innerText();
      expect(await cell('total')).toBe(String(subscribers));
      expect(await cell('sent')).toBe(String(subscribers));
      expect(await cell('skippedOptOut')).toBe('0');
      expect(await cell('pending')).toBe('0');
      expect(await cell('done')).toBe('Terminée');
      await shot('04-broadcast-page');

      await running.service.sms.flush();
      const broadcast = running.service.sms.outbox!.list().filter((e) => e.text === FR_TEXT);
      const phones = broadcast.map((e) => e.to).sort();
      // The outbox keeps pseudonyms, never numbers.
      const pseudonym = running.service.pseudonymize;
      expect(phones).toEqual([...FR_SUBSCRIBERS.slice(2), ...EN_SUBSCRIBERS].map((p) => pseudonym(p)).sort());
      expect(api.calls.filter((c) => c.method === 'sendMessage' && c.payload.text === FR_TEXT)).toHaveLength(
        1,
      );
      expect(problems).toEqual([]);
    }, 60_000);
  });
});
