import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, launchChromium } from './support/browser.js';
import { buildAudio } from '../adapters/voice/audio/build.js';
import { createAudioCatalog } from '../adapters/voice/audio/catalog.js';
import { createAudioLibrary } from '../adapters/voice/audio/library.js';
import { loadCorpus } from '../src/content/load.js';
import { t } from '../src/i18n/index.js';
import { startService, type RunningService } from './support/service.js';
import { toneSynthesizer } from './support/voice.js';

/**
 * The simulator's call mode in headless Chromium against the real POST /voice: dial, hear the
 * language menu (its Play URL is what the page plays), press keys on the page's keypad, reach a
 * recommendation by number, hang up. Audio is built with the tone synthesiser.
 */

interface Browserish {
  document: { querySelector(selector: string): { dataset: Record<string, string | undefined> } | null };
}

describeWithChromium('the simulator’s call mode', () => {
  let dir: string;
  let running: RunningService;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const voiceForms: Array<Record<string, string>> = [];

  /** Waits until the page plays (or has played) audio naming `item`; returns the items. */
  const heard = async (item: string) => {
    await page.waitForFunction((wanted) => {
      const { document } = globalThis as unknown as Browserish;
      return (document.querySelector('#call')?.dataset.items ?? '').split(',').includes(wanted);
    }, item);
    return (await page.locator('#call').getAttribute('data-items'))!.split(',');
  };
  const press = async (keys: string) => {
    for (const key of keys) await page.locator(`#call-keys button[data-key="${key}"]`).click();
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dim-call-'));
    const corpus = loadCorpus('content/recommendations.json');
    await buildAudio({
      library: createAudioLibrary(dir, createAudioCatalog(corpus)),
      synthesizer: toneSynthesizer,
      langs: ['fr', 'en'],
      only: (r) => r.kind === 'prompt' || r.key.startsWith('2.'),
    });
    running = await startService({ AUDIO_DIR: dir, LOG_LEVEL: 'warn' });
    browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/voice')
        voiceForms.push(Object.fromEntries(new URLSearchParams(request.postData() ?? '')));
    });
    await page.goto(`${running.baseUrl}/simulator`);
    await page.waitForSelector('body[data-ready="true"]');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('when the line is called and keys are pressed, then the prompts play in turn and 3, 2, 1, 5, # reaches recommendation 2.15', async () => {
    expect(await page.locator('#call-status').innerText()).toBe(t('fr', 'web.call.idle'));
    await page.locator('#call-dial').click();
    expect(await heard('fr:prompt:lang.offer')).toEqual([
      'fr:prompt:lang.offer',
      'fr:prompt:press.1',
      'en:prompt:lang.offer',
      'en:prompt:press.2',
    ]);
    await press('1');
    expect((await heard('fr:prompt:welcome'))[0]).toBe('fr:prompt:welcome');
    await press('3');
    await heard('fr:prompt:number.ask');
    await press('215#');
    expect((await heard('fr:rec:2.15')).slice(0, 2)).toEqual(['fr:rec:2.15', 'fr:prompt:reading.nav']);
    // The page sent what the gateway sends: one key for a menu, the typed number with its #.
    expect(voiceForms.map((f) => f.dtmfDigits)).toEqual([undefined, '1', '3', '215#']);
    expect(new Set(voiceForms.map((f) => f.sessionId)).size).toBe(1);
    // The audio element plays the line's own URL, and Chromium decoded every file it was given.
    expect(await page.locator('#call-audio').getAttribute('src')).toMatch(/\/audio\/seq\/fr:rec:2\.15,/);
    // (earlier prompts may be cut by a key before they start: only the reading is waited for).
    await page.waitForFunction(() => {
      const { document } = globalThis as unknown as {
        document: { querySelector(s: string): { currentTime: number; src: string } | null };
      };
      const audio = document.querySelector('#call-audio');
      return audio !== null && audio.src.includes('fr:rec:2.15') && audio.currentTime > 0;
    });
    expect(Number(await page.locator('#call').getAttribute('data-played'))).toBeGreaterThan(0);
    expect(await page.locator('#call').getAttribute('data-audio-errors')).toBeNull();
    await page.locator('#call-hangup').click();
    await page.waitForSelector('#call[data-state="ended"]');
    expect(voiceForms.at(-1)!.isActive).toBe('0');
    expect(problems).toEqual([]);
  }, 60_000);
});
