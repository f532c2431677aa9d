import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAudio } from '../adapters/voice/audio/build.js';
import { createAudioCatalog } from '../adapters/voice/audio/catalog.js';
import { createAudioLibrary } from '../adapters/voice/audio/library.js';
import { MINIMAL_SET, type RecordingPlan } from '../adapters/voice/audio/plan.js';
import { wavHeader } from '../adapters/voice/audio/wav.js';
import { loadCorpus } from '../src/content/load.js';
import { t } from '../src/i18n/index.js';
import { ConsoleClient, consoleUsers, PASSWORDS } from './support/console.js';
import { startService, type RunningService } from './support/service.js';
import { itemsOf, menuItems, newCall, toneSynthesizer } from './support/voice.js';

/**
 * A Bambara line worth calling, through the studio's API over HTTP: the recording plan (minimal
 * set first, each item's Bambara text and state, progress), Bambara offered on the voice menu
 * once — and only once — its minimal set is published, and a bad upload rolled back.
 */

/** A take of `seconds` at 16 kHz (what the page sends), its pitch telling takes apart. */
function take(seconds: number, hz: number): Buffer {
  const rate = 16000;
  const data = Buffer.alloc(Math.round(seconds * rate) * 2);
  for (let i = 0; i < data.length / 2; i++)
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 0.4 * 32767), i * 2);
  return Buffer.concat([wavHeader(data.length, rate), data]);
}

describe('the Bambara recording plan and the voice menu', () => {
  let dir: string;
  let running: RunningService;
  let headers: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dim-bambara-'));
    const corpus = loadCorpus('content/recommendations.json');
    // French and English prompts as the start-up synthesis leaves them, and the reading of 2.15.
    await buildAudio({
      library: createAudioLibrary(dir, createAudioCatalog(corpus)),
      synthesizer: toneSynthesizer,
      langs: ['fr', 'en'],
      only: (ref) => ref.kind === 'prompt' || ref.key === '2.15',
    });
    running = await startService({
      AUDIO_DIR: dir,
      LOG_LEVEL: 'warn',
      // The studio's accounts are the console's: a recorder signs in there.
      CONSOLE_USERS: await consoleUsers(),
    });
    const rita = new ConsoleClient(running.baseUrl);
    const token = await rita.studio('rita', PASSWORDS.rita);
    headers = { cookie: rita.cookie, 'x-csrf-token': token };
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const plan = async (lang = 'bm') =>
    (await (
      await fetch(`${running.baseUrl}/studio/api/items?lang=${lang}`, {
        headers: { cookie: headers.cookie! },
      })
    ).json()) as RecordingPlan;
  const record = async (key: string, body: Buffer, kind = 'prompt') => {
    const draft = await fetch(`${running.baseUrl}/studio/api/draft/bm/${kind}/${key}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'audio/wav' },
      body,
    });
    expect(draft.status, key).toBe(200);
    const published = await fetch(`${running.baseUrl}/studio/api/publish/bm/${kind}/${key}`, {
      method: 'POST',
      headers,
    });
    expect(published.status, key).toBe(200);
  };
  const languageMenu = async () => menuItems(await newCall(running.baseUrl).start());

  it('when nothing is recorded, then the plan starts with the minimal set in Bambara, then the theme names, then the readings, all missing', async () => {
    const bm = await plan();
    expect(bm.groups.map((g) => [g.group, g.published, g.total])).toEqual([
      ['minimal', 0, MINIMAL_SET.length],
      ['themes', 0, 5],
      ['readings', 0, 300],
      ['more', 0, expect.any(Number)],
    ]);
    expect(bm.items.slice(0, MINIMAL_SET.length).map((i) => i.key)).toEqual([...MINIMAL_SET]);
    const welcome = bm.items.find((i) => i.key === 'welcome')!;
    expect(welcome).toMatchObject({
      state: 'missing',
      script: t('bm', 'voice.welcome'),
      reference: t('fr', 'voice.welcome'),
      // Our Bambara is a draft until a named speaker reviewed it: the plan says so.
      review: 'draft',
      line: 'none',
    });
    const theme = bm.items.find((i) => i.key === 'theme.1')!;
    expect(theme.script).toContain('Hɛrɛ ni bɛnɲini');
    const reading = bm.items.find((i) => i.kind === 'rec' && i.key === '2.15')!;
    expect(reading.review).toBe('report');
    expect(reading.aid).toBeTruthy();
    expect(bm.progress).toMatchObject({ published: 0, percent: 0 });
    expect(bm.minimal.onMenu).toBe(false);
    expect(await languageMenu()).toEqual([
      'fr:prompt:lang.offer',
      'fr:prompt:press.1',
      'en:prompt:lang.offer',
      'en:prompt:press.2',
    ]);
  });

  it('when all of the minimal set but one is published, then Bambara is still not offered; with the last one it is, first', async () => {
    const [last, ...others] = [...MINIMAL_SET].reverse();
    for (const key of others) await record(key, take(1, 300));
    expect((await plan()).minimal).toMatchObject({ published: MINIMAL_SET.length - 1, onMenu: false });
    expect((await languageMenu())[0]).toBe('fr:prompt:lang.offer');
    await record(last!, take(1, 300));
    const bm = await plan();
    expect(bm.minimal).toEqual({ published: MINIMAL_SET.length, total: MINIMAL_SET.length, onMenu: true });
    expect(bm.progress.percent).toBeGreaterThan(0);
    expect(await languageMenu()).toEqual([
      'bm:prompt:lang.offer',
      'bm:prompt:press.1',
      'fr:prompt:lang.offer',
      'fr:prompt:press.2',
      'en:prompt:lang.offer',
      'en:prompt:press.3',
    ]);
  });

  it('when a Bambara caller asks for 2.15, then the line speaks Bambara around the report’s French words', async () => {
    const call = newCall(running.baseUrl);
    await call.start();
    await call.press('1');
    expect(menuItems(await call.press('3'))).toEqual(['bm:prompt:number.ask']);
    const reading = await call.press('215#');
    expect(menuItems(reading)).toEqual(['bm:prompt:reading.french', 'fr:rec:2.15', 'bm:prompt:reading.nav']);
    const wrong = await call.press('7');
    expect(menuItems(wrong)[0]).toBe('bm:prompt:notAvailable');
    const bye = await call.press('*').then(() => call.press('0'));
    expect(bye.urls.flatMap(itemsOf)).toEqual(['bm:prompt:goodbye']);
  });

  it('when a bad take replaces a published recording, then rolling back puts the previous one back on the line', async () => {
    const url = `${running.baseUrl}/audio/bm/prompt/welcome.wav`;
    const good = Buffer.from(await (await fetch(url)).arrayBuffer());
    await record('welcome', take(2.5, 700));
    const bad = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(bad.equals(good)).toBe(false);
    expect((await plan()).items.find((i) => i.key === 'welcome')!.versions).toBe(1);
    const rollback = await fetch(`${running.baseUrl}/studio/api/rollback/bm/prompt/welcome`, {
      method: 'POST',
      headers,
    });
    expect(rollback.status).toBe(200);
    expect(Buffer.from(await (await fetch(url)).arrayBuffer()).equals(good)).toBe(true);
    expect((await plan()).items.find((i) => i.key === 'welcome')!.versions).toBe(0);
    // Nothing older to go back to; and the token is required, as for every change.
    const again = await fetch(`${running.baseUrl}/studio/api/rollback/bm/prompt/welcome`, {
      method: 'POST',
      headers,
    });
    expect(again.status).toBe(404);
    const forged = await fetch(`${running.baseUrl}/studio/api/rollback/bm/prompt/goodbye`, {
      method: 'POST',
      headers: { ...headers, 'x-csrf-token': 'forged' },
    });
    expect(forged.status).toBe(403);
  });
});
