import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { po } from 'gettext-parser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadCorpus } from '../src/content/load.js';
import { loadLangState } from '../src/content/lang-state.js';
import { exportPo } from '../src/content/po.js';
import { referenceMessages } from '../src/content/translations.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { describeWithChromium, launchChromium, watchPage } from './support/browser.js';
import { consoleUsers, PASSWORDS } from './support/console.js';
import { describeWithRedis } from './support/redis.js';
import { freePort } from './support/redis-server.js';
import { startService, type RunningService } from './support/service.js';

/**
 * Issue 31 as a reviewer lives it, in headless Chromium, on a real Redis with two instances:
 * this process's service (where the reviewer works) and a second one in a child process, as
 * another container would be. The translator opens 2.15's summary beside the French and the
 * report's words, is refused a rejected term, publishes a reviewed text, and both instances'
 * SMS answers in Bambara show it; then uploads a reviewed PO file. Publications are audited
 * and the progress page counts them. Screenshots: test-results/console-translations/.
 */
const SHOTS = join(process.cwd(), 'test-results', 'console-translations');
const NEW_SUMMARY =
  'Mali ka lasigidensow ka ɲɔgɔnyew kɛ tuma bɛɛ ni Malidenw ye minnu sigilen bɛ jamana kɔkan, u ka kumaw lamɛn.';
const PHONE = '+22370031001';

describeWithRedis('translations reviewed and published from the console, in a browser', (redisUrl) => {
  describeWithChromium('with Chromium', () => {
    let running: RunningService;
    let other: ChildProcess;
    let otherUrl = '';
    let browser: Browser;
    let page: Page;
    let dataDir: string;
    let smsId = 0;
    const problems: string[] = [];
    const prefix = `tr-${process.pid}-${Date.now()}:`;

    const sms = async (baseUrl: string, text: string): Promise<string> => {
      const before = (
        (await (await fetch(`${baseUrl}/dev/outbox?to=${encodeURIComponent(PHONE)}`)).json()) as unknown[]
      ).length;
      const answer = await fetch(`${baseUrl}/sms`, {
        method: 'POST',
        body: new URLSearchParams({ from: PHONE, to: '36000', text, id: `tr-b-${++smsId}` }),
      });
      expect(answer.status).toBe(200);
      for (let i = 0; i < 50; i++) {
        const box = (await (
          await fetch(`${baseUrl}/dev/outbox?to=${encodeURIComponent(PHONE)}`)
        ).json()) as Array<{
          text: string;
        }>;
        if (box.length > before)
          return box
            .slice(before)
            .map((e) => e.text)
            .join('\n');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return '';
    };
    const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      dataDir = mkdtempSync(join(tmpdir(), 'dim-tr-browser-'));
      const env = {
        LOG_LEVEL: 'warn',
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: prefix,
        CONSOLE_USERS: await consoleUsers(),
      };
      running = await startService({ ...env, DATA_DIR: join(dataDir, 'a') });
      const port = await freePort();
      other = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          HOST: '127.0.0.1',
          PORT: String(port),
          DATA_DIR: join(dataDir, 'b'),
          RATE_LIMIT_PER_MINUTE: '100000',
          ...env,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      otherUrl = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 300; i++) {
        if (
          (await fetch(`${otherUrl}/healthz`).then(
            (r) => r.status,
            () => 0,
          )) === 200
        )
          break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      browser = await launchChromium();
      page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
      page.setDefaultTimeout(10_000);
      watchPage(page, running.baseUrl, problems, []);
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await running?.close();
      if (other && other.exitCode === null) {
        const exited = once(other, 'exit');
        other.kill('SIGTERM');
        await exited;
      }
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('when a translator corrects 2.15 in the browser, then a rejected term is refused, the reviewed text is published, audited, and both instances serve it', async () => {
      await page.goto(`${running.baseUrl}/admin/login`);
      await page.locator('#name').fill('tina');
      await page.locator('#password').fill(PASSWORDS.tina);
      await page.locator('form button[type=submit]').click();
      await page.waitForURL(/\/admin\/dashboard/);
      await page.locator('nav a[href="/admin/translations"]').click();
      const summaries = page.locator('#progress-bm tr[data-part="summaries"]');
      expect(await summaries.locator('td[data-field="draft"]').innerText()).toBe('300');
      expect(await summaries.locator('td[data-field="reviewed"]').innerText()).toBe('0');
      await shot('01-progress');

      await page.locator('#entry-bm').fill('summary:2.15');
      await page.locator('#lang-bm form[action="/admin/translations/bm/entry"] button').click();
      await page.waitForURL(/entry\?id=summary%3A2\.15/);
      expect(await page.locator('#french').innerText()).toBe('Rencontres citoyennes dans les missions');
      expect(await page.locator('#report').innerText()).toContain('missions diplomatiques et consulaires');
      expect(await page.locator('#current').getAttribute('data-state')).toBe('draft');

      // Before: both instances answer with the shipped summary.
      await sms(running.baseUrl, 'BM');
      await sms(otherUrl, 'BM');
      expect(await sms(otherUrl, '2.15')).toContain(toGsm7('Mali ka lasigidensow ka ɲɔgɔnyew sigi sen kan'));

      await page.locator('#text').fill('Mali ka ambasadiw ka ɲɔgɔnyew kɛ ni Malidenw ye.');
      await page.locator('#reviewed').check();
      await page.locator('.entry-form button[type=submit]').click();
      await page.locator('#problems').waitFor();
      expect(await page.locator('#problems').innerText()).toContain('"ambasadi" is rejected');
      await shot('02-refused');

      await page.locator('#text').fill(NEW_SUMMARY);
      await page.locator('#reviewed').check();
      await page.locator('.entry-form button[type=submit]').click();
      await page.locator('.ok[role=status]').waitFor();
      expect(await page.locator('.ok[role=status]').innerText()).toBe('Version 1 publiée.');
      expect(await page.locator('#current').getAttribute('data-state')).toBe('reviewed');
      expect(await page.locator('#current').innerText()).toContain('relu par tina le');
      await shot('03-published');

      // This instance at once; the other within its poll (5 s): one draft fewer, then the text.
      expect(await sms(running.baseUrl, '2.15')).toContain(toGsm7(NEW_SUMMARY.slice(0, 60)));
      const drafts = async () =>
        (
          (await (await fetch(`${otherUrl}/readyz`)).json()) as {
            translations: { drafts: Record<string, { content: { draft: number } }> };
          }
        ).translations.drafts.bm!.content.draft;
      await expect.poll(drafts, { timeout: 15_000, interval: 500 }).toBe(304);
      await expect
        .poll(() => sms(otherUrl, '2.15'), { timeout: 15_000, interval: 1000 })
        .toContain(toGsm7(NEW_SUMMARY.slice(0, 60)));

      await page.goto(`${running.baseUrl}/admin/audit`);
      expect(await page.locator('main').innerText()).toContain('bm v1 summary:2.15:reviewed');
      await page.goto(`${running.baseUrl}/admin/translations`);
      expect(await summaries.locator('td[data-field="reviewed"]').innerText()).toBe('1');
      expect(await page.locator('#versions-bm tr[data-version="1"]').innerText()).toContain('tina');
      expect(problems).toEqual([]);
    }, 60_000);

    it('when the translator uploads a reviewed PO file, then its checked changes are published as the next version', async () => {
      const state = loadLangState('bm');
      const files = exportPo(state, {
        reference: referenceMessages(),
        corpus: loadCorpus('content/recommendations.json'),
        version: 1,
        withSummaries: true,
      });
      const labels = po.parse(files.labels);
      const theme = Object.values(labels.translations['theme 2']!)[0]!;
      theme.msgstr = ['Politiki ni fangabulonw'];
      delete theme.comments!.flag;
      const path = join(dataDir, 'labels.po');
      writeFileSync(path, po.compile(labels));

      await page.goto(`${running.baseUrl}/admin/translations`);
      await page.locator('#po-bm').setInputFiles(path);
      await page.locator('#upload-publish-bm').click();
      await page.locator('#changes').waitFor();
      expect(await page.locator('.ok[role=status]').innerText()).toBe('Version 2 publiée.');
      expect(await page.locator('#changes tr[data-entry="theme:2"]').innerText()).toContain(
        'Politiki ni fangabulonw',
      );
      await shot('04-upload');
      await page.goto(`${running.baseUrl}/admin/translations`);
      const themes = page.locator('#progress-bm tr[data-part="themes"]');
      expect(await themes.locator('td[data-field="reviewed"]').innerText()).toBe('1');
      expect(await sms(running.baseUrl, 'THEMES')).toContain('Politiki ni fangabulonw');
      expect(problems).toEqual([]);
    }, 60_000);
  });
});
