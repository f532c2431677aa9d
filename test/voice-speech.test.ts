import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAudio } from '../adapters/voice/audio/build.js';
import { createAudioCatalog } from '../adapters/voice/audio/catalog.js';
import { createAudioLibrary, type AudioLibrary } from '../adapters/voice/audio/library.js';
import { createSpeech } from '../adapters/voice/audio/speech.js';
import type { Synthesizer } from '../adapters/voice/audio/synth.js';
import { readWavInfo } from '../adapters/voice/audio/wav.js';
import { createLogger } from '../adapters/logging.js';
import { createService } from '../adapters/service.js';
import { loadConfig } from '../src/config.js';
import { loadCorpus } from '../src/content/load.js';
import { LogCapture, startService, type RunningService } from './support/service.js';
import { createToneSynthesizer, itemsOf, menuItems, newCall } from './support/voice.js';

/**
 * Speech made when it is needed: the queue's priorities and sharing (tone synthesiser, held
 * at will: a slow engine without timing), the line's "in a moment" over HTTP, and a fresh start
 * on an empty AUDIO_DIR with the real engine from npm.
 */

const corpus = loadCorpus('content/recommendations.json');
const catalog = createAudioCatalog(corpus);
const rec = (lang: 'fr' | 'en', key: string) => ({ lang, kind: 'rec' as const, key });
const prompt = (lang: 'fr' | 'en', key: string) => ({ lang, kind: 'prompt' as const, key });

describe('the speech queue', () => {
  let dir: string;
  let library: AudioLibrary;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dim-speech-'));
    library = createAudioLibrary(dir, catalog);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when a caller asks while prompts wait in the background, then the caller’s reading is made next', async () => {
    const tone = createToneSynthesizer({ hold: true });
    const speech = createSpeech({ library, synthesizer: tone.synthesizer });
    const background = ['home.themes', 'home.number', 'home.about', 'home.lang', 'home.quit', 'more'];
    const warm = speech.request(
      background.map((key) => prompt('fr', key)),
      'background',
    );
    // Two run at once (the tone engine's concurrency); the other four wait.
    await new Promise((resolve) => setImmediate(resolve));
    expect(tone.texts).toHaveLength(2);
    const call = speech.ensure([rec('fr', '3.7')], 'call', 60_000);
    tone.release();
    expect(await call).toBe(true);
    await warm;
    const reading = catalog.item('fr', 'rec', '3.7')!.segments!.map((s) => s.text);
    // Right after the two already running: the reading's two segments, then the prompts.
    expect(tone.texts.slice(2, 4).sort()).toEqual([...reading].sort());
    expect(library.available(rec('fr', '3.7'))).toBe(true);
  });

  it('when French and English readings of one recommendation are asked together, then the report’s words are made once', async () => {
    const tone = createToneSynthesizer();
    const speech = createSpeech({ library, synthesizer: tone.synthesizer });
    const outcome = await speech.request([rec('fr', '4.2'), rec('en', '4.2')], 'call');
    // French intro, English intro, one French body shared by both.
    expect(outcome).toEqual({ synthesised: 3, cached: 0, failed: 0 });
    expect(tone.texts).toHaveLength(3);
  });

  it('when the speech is not ready in time, then ensure says so, and the synthesis goes on for the next request', async () => {
    const tone = createToneSynthesizer({ hold: true });
    const speech = createSpeech({ library, synthesizer: tone.synthesizer });
    expect(await speech.ensure([rec('fr', '5.1')], 'call', 10)).toBe(false);
    tone.release();
    await speech.idle();
    expect(await speech.ensure([rec('fr', '5.1')], 'call', 10)).toBe(true);
  });

  it('when the engine fails, then the item is not asked again at once (a broken engine is not hammered)', async () => {
    let calls = 0;
    const broken: Synthesizer = {
      name: 'broken',
      langs: ['fr', 'en'],
      concurrency: 1,
      synthesize: () => {
        calls += 1;
        return Promise.reject(new Error('engine down'));
      },
    };
    const speech = createSpeech({ library, synthesizer: broken });
    expect(await speech.ensure([prompt('fr', 'about')], 'call', 60_000)).toBe(false);
    expect(await speech.ensure([prompt('fr', 'about')], 'call', 60_000)).toBe(false);
    expect(calls).toBe(1);
  });

  it('when a language has no synthesis, then its items are producible only once recorded', () => {
    const speech = createSpeech({ library, synthesizer: createToneSynthesizer().synthesizer });
    expect(speech.producible({ lang: 'bm', kind: 'prompt', key: 'welcome' })).toBe(false);
    expect(speech.producible(rec('fr', '1.1'))).toBe(true);
    expect(createSpeech({ library }).producible(rec('fr', '1.1'))).toBe(false);
  });
});

describe('a reading being made while the caller waits (Africa’s Talking dialect over HTTP)', () => {
  let dir: string;
  let running: RunningService;
  const tone = createToneSynthesizer();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dim-speech-line-'));
    // The prompts are there (as after the start-up synthesis); no reading yet.
    await buildAudio({
      library: createAudioLibrary(dir, catalog),
      synthesizer: tone.synthesizer,
      langs: ['fr'],
      only: (ref) => ref.kind === 'prompt',
    });
    running = await startService(
      { AUDIO_DIR: dir, VOICE_LANGS: 'fr', VOICE_SYNTH_WAIT_MS: '50', LOG_LEVEL: 'warn' },
      { synthesizer: tone.synthesizer },
    );
  });
  afterAll(async () => {
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a reading is not ready in time, then the caller hears in French that it comes in a moment, can press 9, and the line comes back to play it', async () => {
    tone.hold();
    const call = newCall(running.baseUrl);
    await call.start();
    await call.press('3');
    const wait = await call.press('215#');
    expect(wait.actions.map((a) => a.tag)).toEqual(['GetDigits', 'Redirect']);
    expect(menuItems(wait)).toEqual(['fr:prompt:reading.wait', 'fr:prompt:reading.sms']);
    expect(new URL(wait.actions[1]!.text).pathname).toBe('/voice');
    tone.release();
    await running.service.voice.speech.idle();
    // The gateway follows the Redirect: a request without keys.
    const reading = await call.start();
    expect(menuItems(reading)).toEqual(['fr:rec:2.15', 'fr:prompt:reading.nav', 'fr:prompt:reading.sms']);
    for (const url of new Set(reading.urls)) {
      const info = readWavInfo(Buffer.from(await (await fetch(url)).arrayBuffer()));
      expect(info).toMatchObject({ format: 1, sampleRate: 8000, channels: 1, bitsPerSample: 16 });
    }
    const metrics = await (await fetch(`${running.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/dim_voice_synthesis_waits_total\{outcome="told"\} [1-9]/);
  });

  it('when 9 is pressed while the reading is being made, then the SMS is sent instead', async () => {
    tone.hold();
    const call = newCall(running.baseUrl);
    await call.start();
    await call.press('3');
    await call.press('216#');
    const sms = await call.press('9');
    expect(menuItems(sms)[0]).toBe('fr:prompt:sms.sent');
    tone.release();
    await running.service.voice.speech.idle();
  });

  it('when the reading is still not ready after three moments, then "no recording yet" in the caller’s language and the number question again', async () => {
    tone.hold();
    const call = newCall(running.baseUrl);
    await call.start();
    await call.press('3');
    await call.press('217#');
    for (let i = 0; i < 2; i++) expect(menuItems(await call.start())).toContain('fr:prompt:reading.wait');
    const given = await call.start();
    expect(menuItems(given)).toEqual(['fr:prompt:reading.unavailable', 'fr:prompt:number.ask']);
    tone.release();
    await running.service.voice.speech.idle();
  });
});

describe('a call in the first moments after start, before any prompt is made', () => {
  it('when nothing can be said yet in any language, then the gateway is sent back for it (silence, not an English apology), and the call starts once the prompts are made', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dim-speech-cold-'));
    const tone = createToneSynthesizer({ hold: true });
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      AUDIO_DIR: dir,
      VOICE_SYNTH_WAIT_MS: '20',
    });
    const service = createService(config, createLogger('silent', new LogCapture()), {
      synthesizer: tone.synthesizer,
    });
    try {
      const call = newCall(`http://127.0.0.1:${await service.listen()}`);
      const cold = await call.start();
      expect(cold.actions.map((a) => a.tag)).toEqual(['Redirect']);
      tone.release();
      await service.voice.speech.idle();
      // The gateway follows the Redirect: the call starts, in French first (Bambara is not recorded).
      expect(menuItems(await call.start()).slice(0, 2)).toEqual([
        'fr:prompt:lang.offer',
        'fr:prompt:press.1',
      ]);
    } finally {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a fresh start: nothing in AUDIO_DIR, eSpeak NG from npm', () => {
  let dir: string;
  let service: ReturnType<typeof createService>;
  let baseUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dim-speech-fresh-'));
    // French only keeps the start-up synthesis to one language's prompts; the wait is generous
    // so that a loaded machine still answers the first call (the mechanism is the same).
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      AUDIO_DIR: dir,
      VOICE_LANGS: 'fr',
      VOICE_SYNTH_WAIT_MS: '25000',
      REQUEST_TIMEOUT_MS: '30000',
    });
    service = createService(config, createLogger('silent', new LogCapture()));
    baseUrl = `http://127.0.0.1:${await service.listen()}`;
  });
  afterAll(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the first call comes as the line starts, then it reaches 2.15 and every Play URL is an 8 kHz WAV of speech', async () => {
    const call = newCall(baseUrl);
    const home = await call.start();
    expect(menuItems(home)[0]).toBe('fr:prompt:welcome');
    expect(menuItems(await call.press('3'))).toEqual(['fr:prompt:number.ask']);
    const reading = await call.press('215#');
    expect(menuItems(reading)[0]).toBe('fr:rec:2.15');
    for (const answer of [home, reading]) {
      for (const url of new Set(answer.urls)) {
        const res = await fetch(url);
        expect(res.status, url).toBe(200);
        expect(res.headers.get('x-audio-source')).toMatch(/^synthesised/);
        const info = readWavInfo(Buffer.from(await res.arrayBuffer()));
        expect(info, itemsOf(url).join(',')).toMatchObject({
          format: 1,
          sampleRate: 8000,
          channels: 1,
          bitsPerSample: 16,
        });
        expect(info.durationSeconds).toBeGreaterThan(0.3);
      }
    }
  }, 60_000);
});
