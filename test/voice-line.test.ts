import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAudio } from '../adapters/voice/audio/build.js';
import { createAudioCatalog } from '../adapters/voice/audio/catalog.js';
import { createAudioLibrary, JOIN_GAP_SECONDS } from '../adapters/voice/audio/library.js';
import { MINIMAL_SET } from '../adapters/voice/audio/plan.js';
import { readWavInfo, wavHeader } from '../adapters/voice/audio/wav.js';
import { callKey } from '../adapters/voice/router.js';
import { createLogger } from '../adapters/logging.js';
import { createService } from '../adapters/service.js';
import { MemorySessionStore } from '../adapters/stores/memory-store.js';
import { loadConfig } from '../src/config.js';
import { loadCorpus } from '../src/content/load.js';
import { installTranslations } from '../src/content/localized.js';
import { t } from '../src/i18n/index.js';
import { LogCapture, startService, type RunningService } from './support/service.js';
import {
  itemsOf,
  menuItems,
  newCall,
  parseAtAnswer,
  post,
  toneSynthesizer,
  TONE_SECONDS_PER_CHAR,
  type VoiceAnswer as Answer,
} from './support/voice.js';

/**
 * Calls driven over HTTP as Africa's Talking drives them: a form POST per step, the XML answer
 * parsed and checked against the gateway's elements, every Play URL fetched and its WAV header
 * read (format, rate, channels, and a duration that fits the text it says). Audio is built with
 * the tone synthesiser (duration ∝ text; voice-audio.test.ts covers espeak-ng itself).
 */

const corpus = loadCorpus('content/recommendations.json');
const catalog = createAudioCatalog(corpus);
/** The expected length of a Play URL's audio with the tone synthesiser (or a recording's length). */
function expectedSeconds(url: string, recorded: Map<string, number>): number {
  const items = itemsOf(url);
  let seconds = 0;
  let pieces = 0;
  for (const item of items) {
    if (recorded.has(item)) {
      seconds += recorded.get(item)!;
      pieces += 1;
      continue;
    }
    const [lang, kind, key] = item.split(':') as ['fr' | 'en', 'prompt' | 'rec', string];
    const segments = catalog.item(lang, kind, key)!.segments!;
    seconds += segments.reduce((sum, s) => sum + s.text.length * TONE_SECONDS_PER_CHAR, 0);
    pieces += segments.length;
  }
  return seconds + (pieces - 1) * JOIN_GAP_SECONDS;
}

/** Fetches every Play URL of an answer and checks it is line audio of the right length. */
async function checkAudio(answer: Answer, recorded: Map<string, number>): Promise<void> {
  for (const url of new Set(answer.urls)) {
    const res = await fetch(url);
    expect(res.status, url).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    const info = readWavInfo(Buffer.from(await res.arrayBuffer()));
    expect(info, url).toMatchObject({ format: 1, sampleRate: 8000, channels: 1, bitsPerSample: 16 });
    expect(info.durationSeconds, url).toBeCloseTo(expectedSeconds(url, recorded), 1);
  }
}

function silence(seconds: number): Buffer {
  const data = Buffer.alloc(Math.round(seconds * 8000) * 2);
  return Buffer.concat([wavHeader(data.length, 8000), data]);
}

describe('the voice line over HTTP (Africa’s Talking dialect)', () => {
  let dir: string;
  let running: RunningService;
  const recorded = new Map<string, number>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dim-voice-'));
    // As npm run audio:build does: the prompts say the served translations' theme names.
    installTranslations('content/translations', corpus, true);
    const library = createAudioLibrary(dir, catalog);
    // French: every prompt and all 300 readings; English: the prompts and theme 1.
    await buildAudio({ library, synthesizer: toneSynthesizer, langs: ['fr'] });
    await buildAudio({
      library,
      synthesizer: toneSynthesizer,
      langs: ['en'],
      only: (r) => r.kind === 'prompt' || r.key.startsWith('1.'),
    });
    // Bambara: what a speaker recorded so far (no synthesis): the minimal set and "about" —
    // not the theme names, not the readings.
    for (const key of [...MINIMAL_SET, 'home.about', 'about', 'about.back']) {
      const path = library.recordingPath({ lang: 'bm', kind: 'prompt', key });
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, silence(1.5));
      recorded.set(`bm:prompt:${key}`, 1.5);
    }
    running = await startService({ AUDIO_DIR: dir, LOG_LEVEL: 'info' });
  });
  afterAll(async () => {
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a call starts, then the languages are offered in the operator’s order, each in itself, as one interruptible prompt, repeated once, then goodbye', async () => {
    const answer = await newCall(running.baseUrl).start();
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/xml/);
    expect(answer.actions.map((a) => a.tag)).toEqual(['GetDigits', 'GetDigits', 'Play']);
    expect(answer.actions[0]!.attributes).toEqual({ numDigits: '1', timeout: '8' });
    expect(menuItems(answer)).toEqual([
      'bm:prompt:lang.offer',
      'bm:prompt:press.1',
      'fr:prompt:lang.offer',
      'fr:prompt:press.2',
      'en:prompt:lang.offer',
      'en:prompt:press.3',
    ]);
    expect(itemsOf(answer.urls.at(-1)!)).toEqual(['bm:prompt:goodbye']);
    await checkAudio(answer, recorded);
  });

  it('when French is chosen, then the menu model’s home is spoken four options at a time, each after what it does, the rest behind 8', async () => {
    const call = newCall(running.baseUrl);
    await call.start();
    const home = await call.press('2');
    expect(menuItems(home)).toEqual([
      'fr:prompt:welcome',
      'fr:prompt:home.themes',
      'fr:prompt:press.1',
      'fr:prompt:home.number',
      'fr:prompt:press.3',
      'fr:prompt:home.about',
      'fr:prompt:press.4',
      'fr:prompt:more',
      'fr:prompt:press.8',
    ]);
    expect(menuItems(home).filter((i) => i.includes(':press.'))).toHaveLength(4);
    await checkAudio(home, recorded);
    const more = await call.press('8');
    expect(menuItems(more)).toEqual([
      'fr:prompt:home.lang',
      'fr:prompt:press.5',
      'fr:prompt:home.quit',
      'fr:prompt:press.0',
    ]);
    await checkAudio(more, recorded);
    // No page after the last: 8 is then a wrong key.
    expect(menuItems(await call.press('8'))).toEqual(['fr:prompt:notAvailable', ...menuItems(more)]);
    // Every option of the menu stays valid on every page.
    expect(menuItems(await call.press('3'))).toEqual(['fr:prompt:number.ask']);
  });

  it('when the model’s search is chosen on the voice line, then it is not available (typed words cannot be pressed)', async () => {
    const call = newCall(running.baseUrl);
    await call.start();
    const home = await call.press('2');
    expect(menuItems(await call.press('2'))).toEqual(['fr:prompt:notAvailable', ...menuItems(home).slice(1)]);
  });

  it('when 1 and a theme are pressed, then its recommendations are listened to one after the other; 0 goes back to the themes, * home', async () => {
    const call = newCall(running.baseUrl);
    await call.start();
    await call.press('2');
    const themes = await call.press('1');
    expect(menuItems(themes)).toEqual([
      'fr:prompt:theme.1',
      'fr:prompt:press.1',
      'fr:prompt:theme.2',
      'fr:prompt:press.2',
      'fr:prompt:theme.3',
      'fr:prompt:press.3',
      'fr:prompt:more',
      'fr:prompt:press.8',
    ]);
    await checkAudio(themes, recorded);
    const rest = await call.press('8');
    expect(menuItems(rest)).toEqual([
      'fr:prompt:theme.4',
      'fr:prompt:press.4',
      'fr:prompt:theme.5',
      'fr:prompt:press.5',
      'fr:prompt:back',
      'fr:prompt:press.0',
    ]);
    const first = await call.press('4');
    expect(menuItems(first)).toEqual(['fr:rec:4.1', 'fr:prompt:reading.nav', 'fr:prompt:reading.sms']);
    await checkAudio(first, recorded);
    expect(menuItems(await call.press('1'))[0]).toBe('fr:rec:4.2');
    expect(menuItems(await call.press('1'))[0]).toBe('fr:rec:4.3');
    expect(menuItems(await call.press('3'))[0]).toBe('fr:rec:4.2');
    expect(menuItems(await call.press('0'))).toEqual(menuItems(rest));
    await call.press('5');
    expect(menuItems(await call.press('*'))[0]).toBe('fr:prompt:home.themes');
  });

  it('when 9 is pressed during a reading, then the recommendation is sent by SMS, the caller hears so, and the keys again', async () => {
    const call = newCall(running.baseUrl);
    await call.start();
    await call.press('2');
    await call.press('3');
    await call.press('215#');
    const sent = await call.press('9');
    expect(menuItems(sent)).toEqual(['fr:prompt:sms.sent', 'fr:prompt:reading.nav', 'fr:prompt:reading.sms']);
    await checkAudio(sent, recorded);
    expect(menuItems(await call.press('1'))[0]).toBe('fr:rec:2.16');
  });

  it('when the language is changed from home, then the operator’s list is offered and the new language’s home follows', async () => {
    const call = newCall(running.baseUrl);
    await call.start();
    await call.press('2');
    await call.press('8');
    const langs = await call.press('5');
    expect(menuItems(langs)[0]).toBe('bm:prompt:lang.offer');
    const english = await call.press('3');
    expect(menuItems(english).slice(0, 3)).toEqual([
      'en:prompt:welcome',
      'en:prompt:home.themes',
      'en:prompt:press.1',
    ]);
  });

  it('when Bambara is chosen, then only the options recorded in Bambara are offered, and a reading not recorded is the report’s French framed in Bambara', async () => {
    const call = newCall(running.baseUrl);
    await call.start();
    const home = await call.press('1');
    expect(menuItems(home)).toEqual([
      'bm:prompt:welcome',
      'bm:prompt:home.number',
      'bm:prompt:press.3',
      'bm:prompt:home.about',
      'bm:prompt:press.4',
      'bm:prompt:home.lang',
      'bm:prompt:press.5',
      'bm:prompt:home.quit',
      'bm:prompt:press.0',
    ]);
    // The theme names are not recorded in Bambara: pressing 1 is a choice that does not exist.
    const refused = await call.press('1');
    expect(menuItems(refused)[0]).toBe('bm:prompt:notAvailable');
    await checkAudio(refused, recorded);
    expect(menuItems(await call.press('3'))).toEqual(['bm:prompt:number.ask']);
    const reading = await call.press('215#');
    expect(menuItems(reading)).toEqual(['bm:prompt:reading.french', 'fr:rec:2.15', 'bm:prompt:reading.nav']);
    await checkAudio(reading, recorded);
    // Everything said to this caller is in Bambara, the report's words aside.
    expect(new Set(reading.urls.flatMap(itemsOf).filter((item) => !item.startsWith('bm:')))).toEqual(
      new Set(['fr:rec:2.15']),
    );
  });

  it('when a wrong key is pressed, then "not available" and the same prompt again', async () => {
    const call = newCall(running.baseUrl);
    await call.start();
    const home = await call.press('2');
    const wrong = await call.press('7');
    expect(menuItems(wrong)).toEqual(['fr:prompt:notAvailable', ...menuItems(home).slice(1)]);
  });

  it('when 2, 1, 5, # is typed, then recommendation 2.15 is read, then its keys; 1 next, 3 previous, 2 again, 0 back, * home', async () => {
    const call = newCall(running.baseUrl);
    await call.start();
    await call.press('2');
    const ask = await call.press('3');
    expect(menuItems(ask)).toEqual(['fr:prompt:number.ask']);
    expect(ask.actions[0]!.attributes).toEqual({ timeout: '15', finishOnKey: '#' });
    const reading = await call.press('215#');
    expect(menuItems(reading)).toEqual(['fr:rec:2.15', 'fr:prompt:reading.nav', 'fr:prompt:reading.sms']);
    await checkAudio(reading, recorded);
    expect(menuItems(await call.press('1'))[0]).toBe('fr:rec:2.16');
    expect(menuItems(await call.press('3'))[0]).toBe('fr:rec:2.15');
    expect(menuItems(await call.press('2'))[0]).toBe('fr:rec:2.15');
    expect(menuItems(await call.press('7'))).toEqual([
      'fr:prompt:notAvailable',
      'fr:prompt:reading.nav',
      'fr:prompt:reading.sms',
    ]);
    expect(menuItems(await call.press('0'))).toEqual(['fr:prompt:number.ask']);
    await call.press('2*15#');
    expect(menuItems(await call.press('*'))[0]).toBe('fr:prompt:home.themes');
  });

  it('when the last or first of a theme is passed, then the line says so and stays', async () => {
    const call = newCall(running.baseUrl);
    await call.start();
    await call.press('2');
    await call.press('3');
    const last = corpus.recommendations.filter((r) => r.theme === 2).at(-1)!;
    await call.press(`2${last.number}#`);
    expect(menuItems(await call.press('1'))).toEqual([
      'fr:prompt:reading.last',
      'fr:prompt:reading.nav',
      'fr:prompt:reading.sms',
    ]);
    await call.press('0');
    await call.press('31#');
    expect(menuItems(await call.press('3'))).toEqual([
      'fr:prompt:reading.first',
      'fr:prompt:reading.nav',
      'fr:prompt:reading.sms',
    ]);
  });

  it('when a number that does not exist is typed, then "not available" and the question again', async () => {
    const call = newCall(running.baseUrl);
    await call.start();
    await call.press('2');
    await call.press('3');
    for (const keys of ['999#', '6#', '#', '1*99#', '2#']) {
      expect(menuItems(await call.press(keys))).toEqual(['fr:prompt:notAvailable', 'fr:prompt:number.ask']);
    }
    expect(menuItems(await call.press('0#'))[0]).toBe('fr:prompt:home.themes');
  });

  it('when every one of the 300 recommendations is asked by number in French, then each is reachable and plays audio that fits its text', async () => {
    const call = newCall(running.baseUrl);
    await call.start();
    await call.press('2');
    await call.press('3');
    for (const rec of corpus.recommendations) {
      const reading = await call.press(`${rec.theme}${rec.number}#`);
      expect(menuItems(reading)).toEqual([
        `fr:rec:${rec.id}`,
        'fr:prompt:reading.nav',
        'fr:prompt:reading.sms',
      ]);
      await checkAudio(reading, recorded);
      // 0: back to the question, for the next number.
      expect(menuItems(await call.press('0'))).toEqual(['fr:prompt:number.ask']);
    }
  }, 120_000);

  it('when English is chosen, then a reading is the English intro and the report’s French words', async () => {
    const call = newCall(running.baseUrl);
    await call.start();
    await call.press('3');
    await call.press('3');
    const reading = await call.press('15#');
    expect(menuItems(reading)).toEqual(['en:rec:1.5', 'en:prompt:reading.nav', 'en:prompt:reading.sms']);
    await checkAudio(reading, recorded);
    // Theme 2 has no English reading here (synthesis off): the French one, announced in English.
    await call.press('0');
    expect(menuItems(await call.press('215#'))).toEqual([
      'en:prompt:reading.french',
      'fr:rec:2.15',
      'en:prompt:reading.nav',
      'en:prompt:reading.sms',
    ]);
  });

  it('when the caller ends at home with 0, then goodbye plays without waiting, and the final request counts a completed call', async () => {
    const call = newCall(running.baseUrl);
    await call.start();
    await call.press('2');
    const bye = await call.press('0');
    expect(bye.actions.map((a) => a.tag)).toEqual(['Play']);
    expect(itemsOf(bye.urls[0]!)).toEqual(['fr:prompt:goodbye']);
    const ended = await call.hangUp();
    expect(ended.status).toBe(200);
    expect(ended.actions).toEqual([]);
    const metrics = await (await fetch(`${running.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/dim_voice_calls_ended_total\{outcome="completed",node="bye"\} [1-9]/);
  });

  it('when the caller hangs up mid-way, then the call state is deleted and the hang-up is counted where it happened', async () => {
    const metricsBefore = await (await fetch(`${running.baseUrl}/metrics`)).text();
    const count = (text: string) =>
      Number(/dim_voice_calls_ended_total\{outcome="hungUp",node="reading"\} (\d+)/.exec(text)?.[1] ?? 0);
    const call = newCall(running.baseUrl);
    await call.start();
    await call.press('2');
    await call.press('3');
    await call.press('11#');
    expect(await running.service.store.get(callKey(call.sessionId))).toBeDefined();
    await call.hangUp();
    expect(await running.service.store.get(callKey(call.sessionId))).toBeUndefined();
    const metricsAfter = await (await fetch(`${running.baseUrl}/metrics`)).text();
    expect(count(metricsAfter)).toBe(count(metricsBefore) + 1);
    expect(metricsAfter).toMatch(/dim_voice_call_cost_total\{currency="XOF"\} [1-9]/);
  });

  it('when another number sends the end of a call, or an end with absurd figures comes, then nothing is ended and the metrics stay sane', async () => {
    const metricsOf = async () => (await fetch(`${running.baseUrl}/metrics`)).text();
    const ends = (text: string) =>
      [...text.matchAll(/^dim_voice_calls_ended_total\{[^}]*\} (\d+)$/gm)].reduce(
        (n, m) => n + Number(m[1]),
        0,
      );
    const sum = (text: string) => Number(/^dim_voice_call_duration_seconds_sum (\S+)$/m.exec(text)?.[1] ?? 0);
    const before = await metricsOf();
    const call = newCall(running.baseUrl);
    await call.start();
    await call.press('2');
    // Someone with the webhook token, another number, the victim's session id.
    const forged = await post(running.baseUrl, {
      isActive: '0',
      sessionId: call.sessionId,
      direction: 'Inbound',
      callerNumber: '+22376999999',
      destinationNumber: '+22320000000',
      durationInSeconds: '1e308',
    });
    expect(forged.status).toBe(200);
    expect(await running.service.store.get(callKey(call.sessionId))).toBeDefined();
    // A session that never was.
    await newCall(running.baseUrl).hangUp({ durationInSeconds: '60' });
    expect(ends(await metricsOf())).toBe(ends(before));
    // The caller's own end counts, and a duration no call can have is not believed.
    await call.hangUp({ durationInSeconds: '1e308', amount: '1e308' });
    const after = await metricsOf();
    expect(ends(after)).toBe(ends(before) + 1);
    expect(sum(after)).toBe(sum(before));
    expect(Number.isFinite(sum(after))).toBe(true);
    expect(after).not.toMatch(/e\+30\d/);
  });

  it('when a call is stored, then it holds the pseudonym, never the number, and no log line carries the number', async () => {
    const call = newCall(running.baseUrl, '+22361234567');
    await call.start();
    await call.press('2');
    const record = await running.service.store.get<Record<string, unknown>>(callKey(call.sessionId));
    expect(JSON.stringify(record)).not.toContain('61234567');
    expect(record!.owner).toBe(running.service.pseudonymize('+22361234567'));
    await post(running.baseUrl, {
      isActive: '1',
      sessionId: call.sessionId,
      callerNumber: '+22379999999',
      dtmfDigits: '1',
    });
    expect(running.logs.text).not.toContain('61234567');
    expect(running.logs.text).not.toContain('79999999');
  });

  it('when another number presents a call’s session id, then it gets the apology and nothing of the call', async () => {
    const call = newCall(running.baseUrl);
    await call.start();
    await call.press('2');
    const intruder = await post(running.baseUrl, {
      isActive: '1',
      sessionId: call.sessionId,
      callerNumber: '+22378888888',
      dtmfDigits: '1',
    });
    // Nothing of the call, not even its language: the apology in each of the line's languages.
    expect(intruder.actions.map((a) => a.tag)).toEqual(['Play', 'Play', 'Play']);
    expect(intruder.urls.flatMap(itemsOf)).toEqual(['bm:prompt:error', 'fr:prompt:error', 'en:prompt:error']);
  });

  it.each([
    ['no caller', { isActive: '1', sessionId: 'ATVId_x' }],
    ['no session', { isActive: '1', callerNumber: '+22370000000' }],
    [
      'keys that are no keys',
      { isActive: '1', sessionId: 'ATVId_x', callerNumber: '+22370000000', dtmfDigits: '1;DROP' },
    ],
  ])('when the form has %s, then a 400 whose body is still the gateway’s XML', async (_name, fields) => {
    const answer = await post(running.baseUrl, fields);
    expect(answer.status).toBe(400);
    expect(answer.urls.flatMap(itemsOf)).toEqual(['bm:prompt:error', 'fr:prompt:error', 'en:prompt:error']);
  });

  it('when the body is not a form, then a 415 in the gateway’s XML, never a 5xx', async () => {
    const res = await fetch(`${running.baseUrl}/voice`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(res.status).toBe(415);
    parseAtAnswer(await res.text());
  });
});

describe('the voice line behind the webhook guard, the rate limit and a failing store', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dim-voice-guard-'));
    await buildAudio({
      library: createAudioLibrary(dir, catalog),
      synthesizer: toneSynthesizer,
      langs: ['fr', 'en'],
      only: (r) => r.kind === 'prompt',
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when WEBHOOK_TOKEN is set, then only /voice/<token> answers, and the operator’s order puts English first', async () => {
    const token = 'voice-token-0123456789abcdef';
    const running = await startService({
      AUDIO_DIR: dir,
      WEBHOOK_TOKEN: token,
      VOICE_LANGS: 'en,fr',
      LOG_LEVEL: 'warn',
    });
    try {
      const fields = { isActive: '1', sessionId: 'ATVId_guard', callerNumber: '+22370000099' };
      const open = await fetch(`${running.baseUrl}/voice`, {
        method: 'POST',
        body: new URLSearchParams(fields),
      });
      expect(open.status).toBe(404);
      const answer = await post(running.baseUrl, fields, `/voice/${token}`);
      expect(answer.status).toBe(200);
      expect(menuItems(answer).slice(0, 2)).toEqual(['en:prompt:lang.offer', 'en:prompt:press.1']);
      // Audio is public: the gateway fetches it without the secret.
      expect((await fetch(answer.urls[0]!)).status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it('when a caller goes over RATE_LIMIT_PER_MINUTE, then the line says so and hangs up, and the final request is not refused', async () => {
    const running = await startService({ AUDIO_DIR: dir, RATE_LIMIT_PER_MINUTE: '3', LOG_LEVEL: 'warn' });
    try {
      const call = newCall(running.baseUrl);
      const answers = [
        await call.start(),
        await call.press('1'),
        await call.press('9'),
        await call.press('1'),
      ];
      expect(answers.slice(0, 3).every((a) => a.actions[0]!.tag === 'GetDigits')).toBe(true);
      const limited = answers[3]!;
      expect(limited.status).toBe(200);
      // In the call's language only (French, chosen with 1): no English to a French caller.
      expect(limited.actions.map((a) => a.tag)).toEqual(['Play']);
      expect(itemsOf(limited.urls[0]!)).toEqual(['fr:prompt:rateLimited']);
      expect((await call.hangUp()).status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it('when the session store fails, then the caller hears the apology and the call ends: 200, never a 5xx', async () => {
    class FailingStore extends MemorySessionStore {
      override async get<T>(): Promise<T | undefined> {
        throw new Error('store down');
      }
    }
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      AUDIO_DIR: dir,
      RATE_LIMIT_PER_MINUTE: '1000',
      VOICE_SYNTHESIS: 'off',
    });
    const service = createService(config, createLogger('silent', new LogCapture()), {
      store: new FailingStore(),
    });
    const port = await service.listen();
    try {
      const answer = await newCall(`http://127.0.0.1:${port}`).start();
      expect(answer.status).toBe(200);
      // No language chosen yet: the apology in each language of the line that has it, no English TTS.
      expect(answer.actions.map((a) => a.tag)).toEqual(['Play', 'Play']);
      expect(answer.urls.flatMap(itemsOf)).toEqual(['fr:prompt:error', 'en:prompt:error']);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/dim_voice_faults_total [1-9]/);
    } finally {
      await service.close();
    }
  });

  it('when no audio exists at all and nothing can be synthesised, then the call gets the spoken English apology instead of silence', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'dim-voice-empty-'));
    const running = await startService({ AUDIO_DIR: empty, LOG_LEVEL: 'silent' });
    try {
      const answer = await newCall(running.baseUrl).start();
      expect(answer.status).toBe(200);
      expect(answer.actions).toEqual([
        { tag: 'Say', attributes: { voice: 'woman' }, text: t('en', 'voice.error'), children: [] },
      ]);
    } finally {
      await running.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
