import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAudio } from '../adapters/voice/audio/build.js';
import { createAudioCatalog, promptKeys, speakable } from '../adapters/voice/audio/catalog.js';
import { AUDIO_FORMAT } from '../adapters/voice/audio/format.js';
import { createAudioLibrary, segmentHash, type AudioLibrary } from '../adapters/voice/audio/library.js';
import { parseAudioPath, sequencePath } from '../adapters/voice/audio/routes.js';
import { createEspeakSynthesizer, synthProfile } from '../adapters/voice/audio/synth.js';
import { createAudioWorkers, type AudioWorkers } from '../adapters/voice/audio/workers.js';
import {
  dbfs,
  decodeWav,
  encodeWav,
  normalisePeak,
  peak,
  resample,
  rms,
  trimSilence,
} from '../adapters/voice/audio/dsp.js';
import { joinWavs, readWavInfo, wavHeader, WavError } from '../adapters/voice/audio/wav.js';
import { loadCorpus } from '../src/content/load.js';
import reference from '../content/i18n/fr.json' with { type: 'json' };
import { startService, type RunningService } from './support/service.js';
import { toneSynthesizer, TONE_SECONDS_PER_CHAR } from './support/voice.js';

const corpus = loadCorpus('content/recommendations.json');
const catalog = createAudioCatalog(corpus);
const pcm = (seconds: number, rate = 8000) => {
  const data = Buffer.alloc(Math.round(seconds * rate) * 2, 1);
  return Buffer.concat([wavHeader(data.length, rate), data]);
};

describe('WAV files', () => {
  it('when a file is read, then format, rate, channels and duration come from its header', () => {
    expect(readWavInfo(pcm(1.5))).toMatchObject({
      format: 1,
      channels: 1,
      sampleRate: 8000,
      bitsPerSample: 16,
      durationSeconds: 1.5,
    });
  });

  it('when files are joined, then the result lasts their sum plus the gaps', () => {
    const joined = readWavInfo(joinWavs([pcm(1), pcm(2), pcm(0.5)], 0.25));
    expect(joined.durationSeconds).toBeCloseTo(3.5 + 2 * 0.25, 5);
  });

  it('when files of different rates are joined, or something else is read as WAV, then it fails', () => {
    expect(() => joinWavs([pcm(1), pcm(1, 16000)])).toThrow(WavError);
    expect(() => readWavInfo(Buffer.from('ID3 not a wav file at all'))).toThrow(WavError);
  });
});

describe('the audio catalog', () => {
  it('when prompts are listed, then every voice string without placeholder is one, plus about', () => {
    const expected = Object.entries(reference.messages)
      .filter(([k, m]) => k.startsWith('voice.') && !m.includes('{'))
      .map(([k]) => k.slice(6));
    expect(promptKeys()).toEqual([...expected, 'about']);
    expect(expected).toContain('welcome');
  });

  it('when a language is listed, then it has the prompts and all 300 readings', () => {
    for (const lang of ['bm', 'fr', 'en'] as const) {
      expect(catalog.items(lang, 'rec')).toHaveLength(300);
      expect(catalog.items(lang, 'prompt')).toHaveLength(promptKeys().length + corpus.themes.length);
    }
  });

  it('when Bambara is listed, then nothing is synthesised and the speaker gets the French script', () => {
    const item = catalog.item('bm', 'rec', '2.15')!;
    expect(item.segments).toBeUndefined();
    expect(item.script).toContain(corpus.recommendations.find((r) => r.id === '2.15')!.text);
  });

  it('when English hears a recommendation, then an English intro precedes the report’s French words, shared with the French reading', () => {
    const en = catalog.item('en', 'rec', '2.15')!.segments!;
    const fr = catalog.item('fr', 'rec', '2.15')!.segments!;
    expect(en[0]).toEqual({
      lang: 'en',
      text: 'Recommendation 2 point 15. The text of the report, in French:',
    });
    expect(segmentHash(en[1]!)).toBe(segmentHash(fr[1]!));
    expect(en[1]!.lang).toBe('fr');
  });

  it('when a number like 2.15 is spoken, then it reads "2 point 15"', () => {
    expect(speakable('Recommandation 2.15.')).toBe('Recommandation 2 point 15.');
  });

  it('when an unknown key or a path-like key is asked, then there is no item', () => {
    expect(catalog.item('fr', 'rec', '9.99')).toBeUndefined();
    expect(catalog.item('fr', 'prompt', '../../etc/passwd')).toBeUndefined();
    expect(catalog.item('fr', 'prompt', 'nothing')).toBeUndefined();
  });
});

describe('audio URLs', () => {
  it('when one item is named, then its URL says language, kind and key', () => {
    expect(sequencePath([{ lang: 'fr', kind: 'rec', key: '2.15' }])).toBe('/audio/fr/rec/2.15.wav');
    expect(parseAudioPath('/bm/prompt/welcome.wav')).toEqual([
      { lang: 'bm', kind: 'prompt', key: 'welcome' },
    ]);
  });

  it('when a prompt key has an underscore (the follow-up status "in_progress"), then it is an item with a URL', () => {
    expect(catalog.item('fr', 'prompt', 'followup.in_progress')?.script).toContain('en cours');
    expect(parseAudioPath('/fr/prompt/followup.in_progress.wav')).toEqual([
      { lang: 'fr', kind: 'prompt', key: 'followup.in_progress' },
    ]);
  });

  it('when several items are named, then the sequence URL reads back to the same items', () => {
    const refs = [
      { lang: 'fr', kind: 'prompt', key: 'lang.offer' },
      { lang: 'en', kind: 'prompt', key: 'press.2' },
    ] as const;
    const path = sequencePath([...refs]);
    expect(path).toBe('/audio/seq/fr:prompt:lang.offer,en:prompt:press.2.wav');
    expect(parseAudioPath(path.slice('/audio'.length))).toEqual(refs);
  });

  it.each([
    '/de/prompt/welcome.wav',
    '/fr/video/welcome.wav',
    '/fr/prompt/welcome.mp3',
    '/fr/prompt/../x.wav',
    '/seq/fr:prompt:a:b.wav',
    '/seq/fr:rec:1.1,fr:rec:1.2.wav',
  ])('when %s is asked, then it is no audio path', (path) => {
    expect(parseAudioPath(path)).toBeUndefined();
  });
});

describe('the audio library and its routes (tone synthesiser)', () => {
  let dir: string;
  let library: AudioLibrary;
  let running: RunningService;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dim-audio-'));
    library = createAudioLibrary(dir, catalog);
    await buildAudio({
      library,
      synthesizer: toneSynthesizer,
      langs: ['fr', 'en'],
      only: (ref) => ref.kind === 'prompt' || ref.key === '1.1',
    });
    running = await startService({ AUDIO_DIR: dir, LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when an item was synthesised, then its status says so; Bambara without a recording is missing', () => {
    expect(library.status({ lang: 'fr', kind: 'prompt', key: 'welcome' })).toBe('synthesised');
    expect(library.status({ lang: 'fr', kind: 'rec', key: '1.2' })).toBe('missing');
    expect(library.status({ lang: 'bm', kind: 'prompt', key: 'welcome' })).toBe('missing');
  });

  it('when a prompt is fetched, then it is a WAV in the line format with the right headers', async () => {
    const res = await fetch(`${running.baseUrl}/audio/fr/prompt/welcome.wav`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('x-audio-source')).toBe('synthesised');
    const info = readWavInfo(bytes);
    expect(info).toMatchObject({
      format: 1,
      sampleRate: AUDIO_FORMAT.sampleRate,
      channels: 1,
      bitsPerSample: 16,
    });
    const text = catalog.item('fr', 'prompt', 'welcome')!.script;
    expect(info.durationSeconds).toBeCloseTo(text.length * TONE_SECONDS_PER_CHAR, 1);
  });

  it('when the same audio is asked with its ETag, then the answer is 304 without a body', async () => {
    const first = await fetch(`${running.baseUrl}/audio/en/prompt/goodbye.wav`);
    const etag = first.headers.get('etag')!;
    const again = await fetch(`${running.baseUrl}/audio/en/prompt/goodbye.wav`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
  });

  it('when a sequence is fetched, then it is one file lasting its parts plus the gaps', async () => {
    const parts = ['lang.offer', 'press.1'].map(
      (key) => catalog.item('fr', 'prompt', key)!.script.length * TONE_SECONDS_PER_CHAR,
    );
    const res = await fetch(`${running.baseUrl}/audio/seq/fr:prompt:lang.offer,fr:prompt:press.1.wav`);
    const info = readWavInfo(Buffer.from(await res.arrayBuffer()));
    expect(info.durationSeconds).toBeCloseTo(parts[0]! + parts[1]! + 0.25, 1);
  });

  it('when an English reading is fetched, then intro and French text are joined in one file', async () => {
    const res = await fetch(`${running.baseUrl}/audio/en/rec/1.1.wav`);
    expect(res.status).toBe(200);
    const [intro, body] = catalog.item('en', 'rec', '1.1')!.segments!;
    const expected = (intro!.text.length + body!.text.length) * TONE_SECONDS_PER_CHAR + 0.25;
    expect(readWavInfo(Buffer.from(await res.arrayBuffer())).durationSeconds).toBeCloseTo(expected, 1);
  });

  it.each([
    '/audio/fr/rec/1.2.wav',
    '/audio/bm/prompt/welcome.wav',
    '/audio/fr/prompt/nothing.wav',
    '/audio/xx/prompt/welcome.wav',
    '/audio/fr/prompt/..%2f..%2fcache.wav',
    `/audio/seq/${Array(13).fill('fr:prompt:welcome').join(',')}.wav`,
    '/audio/seq/fr:prompt:welcome,bm:prompt:welcome.wav',
  ])('when %s is asked, then it is a 404 that is not cached', async (path) => {
    const res = await fetch(`${running.baseUrl}${path}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('when a human recording exists, then it is served instead of the synthesis, in every language', async () => {
    const recording = pcm(2.5);
    for (const lang of ['fr', 'bm'] as const) {
      const path = library.recordingPath({ lang, kind: 'prompt', key: 'goodbye' });
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, recording);
      const res = await fetch(`${running.baseUrl}/audio/${lang}/prompt/goodbye.wav`);
      expect(res.headers.get('x-audio-source')).toBe('recording');
      expect(Buffer.from(await res.arrayBuffer()).equals(recording)).toBe(true);
    }
    expect(library.status({ lang: 'bm', kind: 'prompt', key: 'goodbye' })).toBe('recorded');
  });
});

describe('synthesis with eSpeak NG from npm, in a worker process (a few items, never the corpus)', () => {
  let dir: string;
  let library: AudioLibrary;
  let workers: AudioWorkers;
  const few = new Set(['fr:prompt:welcome', 'en:prompt:welcome', 'fr:prompt:press.1', 'fr:rec:1.15']);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dim-espeak-'));
    library = createAudioLibrary(dir, catalog);
    workers = createAudioWorkers({ processes: 1 });
  });
  afterAll(async () => {
    await workers.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a few items are built, then each is 8 kHz mono 16-bit PCM lasting in proportion to its text', async () => {
    const stats = await buildAudio({
      library,
      synthesizer: createEspeakSynthesizer(workers),
      langs: ['fr', 'en'],
      only: (ref) => few.has(`${ref.lang}:${ref.kind}:${ref.key}`),
    });
    expect(stats).toMatchObject({ items: 4, failed: 0 });
    // The engine ran in a child process, not in this one.
    expect(workers.alive()).toBe(1);
    for (const key of few) {
      const [lang, kind, id] = key.split(':') as ['fr' | 'en', 'prompt' | 'rec', string];
      const audio = library.read({ lang, kind, key: id })!;
      const info = readWavInfo(audio.bytes);
      expect(info).toMatchObject({ format: 1, sampleRate: 8000, channels: 1, bitsPerSample: 16 });
      const chars = catalog.item(lang, kind, id)!.script.length;
      // Speech at 145 words a minute says roughly 10 to 20 characters a second.
      const perSecond = chars / info.durationSeconds;
      expect(
        perSecond,
        `${key}: ${chars} characters in ${info.durationSeconds.toFixed(1)} s`,
      ).toBeGreaterThan(7);
      expect(perSecond).toBeLessThan(25);
    }
  });

  it('when the build runs again, then everything comes from the cache', async () => {
    const stats = await buildAudio({
      library,
      synthesizer: createEspeakSynthesizer(workers),
      langs: ['fr', 'en'],
      only: (ref) => few.has(`${ref.lang}:${ref.kind}:${ref.key}`),
    });
    expect(stats.synthesised).toBe(0);
    expect(stats.cached).toBe(stats.segments);
  });

  it('when the synthesised audio is measured, then it is speech at -3 dBFS peak, its silent ends trimmed', () => {
    const audio = library.read({ lang: 'fr', kind: 'prompt', key: 'welcome' })!;
    const pcm = decodeWav(audio.bytes);
    expect(peak(pcm.samples)).toBeCloseTo(10 ** (-3 / 20), 2);
    // Speech from the first tenth of a second to the last (eSpeak NG leaves ~0.3 s of silence).
    const tenth = pcm.rate / 10;
    expect(peak(pcm.samples.subarray(0, tenth))).toBeGreaterThan(0.003);
    expect(peak(pcm.samples.subarray(-tenth))).toBeGreaterThan(0.003);
    expect(rms(pcm.samples)).toBeGreaterThan(0.05);
  });

  it('when French and English are synthesised, then each voice speaks its language (the texts differ, so do the sounds)', async () => {
    const synth = createEspeakSynthesizer(workers);
    const [fr, en] = await Promise.all([
      synth.synthesize('Bonjour', 'fr'),
      synth.synthesize('Bonjour', 'en'),
    ]);
    expect(fr.equals(en)).toBe(false);
  });

  it('when the cache file of a segment is named, then it is the hash of its text and engine (an edited text is a new file)', () => {
    const segment = catalog.item('fr', 'prompt', 'welcome')!.segments![0]!;
    expect(readFileSync(library.segmentPath(segment)).length).toBeGreaterThan(44);
    expect(library.segmentPath({ ...segment, text: `${segment.text} ` })).not.toBe(
      library.segmentPath(segment),
    );
    expect(synthProfile('fr')).toMatch(/^espeak-ng-wasm \d+\.\d+\.\d+ roa\/fr s145/);
  });

  it('when a job fails in the worker, then it rejects with the reason and the next job is served', async () => {
    await expect(workers.run({ type: 'speak', text: 'x', voice: 'nowhere/xx', rate: 145 })).rejects.toThrow(
      /no eSpeak NG voice/,
    );
    const result = await workers.run({ type: 'speak', text: 'Bonjour.', voice: 'roa/fr', rate: 145 });
    expect(result.type).toBe('speak');
  });

  it('when a job overruns its time, then its worker is killed, the job fails, and a fresh worker serves the next', async () => {
    const strict = createAudioWorkers({ processes: 1, jobTimeoutMs: 1 });
    try {
      await expect(
        strict.run({ type: 'speak', text: 'Bonjour.', voice: 'roa/fr', rate: 145 }),
      ).rejects.toThrow(/audio worker stopped/);
    } finally {
      await strict.close();
    }
    expect(strict.alive()).toBe(0);
  });
});

describe('sound processing without sox', () => {
  const rate = 22050;
  const tone = (hz: number, seconds = 1, amplitude = 0.5) =>
    Float32Array.from(
      { length: Math.round(rate * seconds) },
      (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate),
    );

  it('when speech-band sound is resampled to 8 kHz, then it keeps its level; above 4 kHz it is removed, not folded back', async () => {
    const kept = await resample({ rate, samples: tone(1000) });
    expect(kept.rate).toBe(8000);
    expect(kept.samples.length).toBeCloseTo(8000, -1);
    expect(dbfs(rms(kept.samples)) - dbfs(rms(tone(1000)))).toBeCloseTo(0, 0);
    // A 5 kHz tone would alias to 3 kHz, right in the phone band, without the filter.
    const removed = await resample({ rate, samples: tone(5000) });
    expect(dbfs(rms(removed.samples)) - dbfs(rms(tone(5000)))).toBeLessThan(-35);
  });

  it('when short and long sounds are resampled one after the other, then each keeps its length (a long reading is not cut)', async () => {
    for (const seconds of [1, 50, 2, 60, 3]) {
      const out = await resample({ rate, samples: tone(300, seconds) });
      expect(out.samples.length / 8000, `${seconds} s`).toBeCloseTo(seconds, 1);
    }
  });

  it('when silence surrounds a sound, then it is trimmed to a short margin', () => {
    const samples = new Float32Array(rate * 2);
    samples.set(tone(440, 0.5), rate / 2);
    const trimmed = trimSilence({ rate, samples });
    expect(trimmed.samples.length / rate).toBeGreaterThan(0.5);
    expect(trimmed.samples.length / rate).toBeLessThan(0.7);
  });

  it('when a 24-bit stereo WAV is decoded, then it is one channel, the two mixed', () => {
    const frames = 100;
    const data = Buffer.alloc(frames * 6);
    for (let i = 0; i < frames; i++) {
      data.writeIntLE(4194304, i * 6, 3); // +0.5
      data.writeIntLE(0, i * 6 + 3, 3);
    }
    const header = wavHeader(data.length, 16000, 2, 24);
    const pcm = decodeWav(Buffer.concat([header, data]));
    expect(pcm.rate).toBe(16000);
    expect(pcm.samples.length).toBe(frames);
    expect(pcm.samples[10]).toBeCloseTo(0.25, 5);
  });

  it('when sound is normalised and written, then its peak is -3 dBFS in a 16-bit mono WAV', () => {
    const wav = encodeWav(normalisePeak({ rate: 8000, samples: Float32Array.from([0.1, -0.2, 0.05]) }));
    expect(readWavInfo(wav)).toMatchObject({ format: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16 });
    expect(peak(decodeWav(wav).samples)).toBeCloseTo(10 ** (-3 / 20), 3);
  });
});
