import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAudio } from '../adapters/voice/audio/build.js';
import { createAudioCatalog, promptKeys, speakable } from '../adapters/voice/audio/catalog.js';
import { AUDIO_FORMAT } from '../adapters/voice/audio/format.js';
import { createAudioLibrary, segmentHash, type AudioLibrary } from '../adapters/voice/audio/library.js';
import { parseAudioPath, sequencePath } from '../adapters/voice/audio/routes.js';
import { createEspeakSynthesizer } from '../adapters/voice/audio/synth.js';
import { joinWavs, readWavInfo, wavHeader, WavError } from '../adapters/voice/audio/wav.js';
import { loadCorpus } from '../src/content/load.js';
import reference from '../content/i18n/fr.json' with { type: 'json' };
import { startService, type RunningService } from './support/service.js';
import { describeWithEspeak, toneSynthesizer, TONE_SECONDS_PER_CHAR } from './support/voice.js';

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

describeWithEspeak('synthesis with espeak-ng (a few items, never the corpus)', () => {
  let dir: string;
  let library: AudioLibrary;
  const few = new Set(['fr:prompt:welcome', 'en:prompt:welcome', 'fr:prompt:press.1', 'fr:rec:1.15']);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dim-espeak-'));
    library = createAudioLibrary(dir, catalog);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when a few items are built, then each is 8 kHz mono 16-bit PCM lasting in proportion to its text', async () => {
    const stats = await buildAudio({
      library,
      synthesizer: createEspeakSynthesizer(),
      langs: ['fr', 'en'],
      only: (ref) => few.has(`${ref.lang}:${ref.kind}:${ref.key}`),
    });
    expect(stats).toMatchObject({ items: 4, failed: 0 });
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
      synthesizer: createEspeakSynthesizer(),
      langs: ['fr', 'en'],
      only: (ref) => few.has(`${ref.lang}:${ref.kind}:${ref.key}`),
    });
    expect(stats.synthesised).toBe(0);
    expect(stats.cached).toBe(stats.segments);
  });

  it('when the synthesised audio is measured, then it is speech-loud, not silence', () => {
    const audio = library.read({ lang: 'fr', kind: 'prompt', key: 'welcome' })!;
    const info = readWavInfo(audio.bytes);
    let peak = 0;
    for (let i = info.dataOffset; i + 1 < info.dataOffset + info.dataLength; i += 2)
      peak = Math.max(peak, Math.abs(audio.bytes.readInt16LE(i)));
    // Normalised to -3 dBFS: a peak near 0.7 of full scale.
    expect(peak / 32768).toBeGreaterThan(0.6);
    expect(peak / 32768).toBeLessThan(0.75);
  });

  it('when the cache file of a segment is named, then it is the hash of its text (an edited text is a new file)', () => {
    const segment = catalog.item('fr', 'prompt', 'welcome')!.segments![0]!;
    expect(readFileSync(library.segmentPath(segment)).length).toBeGreaterThan(44);
    expect(library.segmentPath({ ...segment, text: `${segment.text} ` })).not.toBe(
      library.segmentPath(segment),
    );
  });
});
