import { describe, expect, it } from 'vitest';
import {
  createLineContext,
  numberInput,
  onDigits,
  PER_PROMPT,
  startCall,
  VOICE_KEYS,
  type LineStep,
} from '../adapters/voice/menu.js';
import type { AudioRef } from '../adapters/voice/types.js';
import { loadCorpus } from '../src/content/load.js';
import { createEngine } from '../src/core/engine.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';

/**
 * The voice renderer of the menu model on its own (no HTTP, no audio files): a crawl over every
 * key from every place reached, and the rules every prompt keeps. test/voice-line.test.ts drives
 * the same renderer over HTTP with real audio.
 */

const corpus = loadCorpus('content/recommendations.json');
const engine = createEngine(corpus, createSearcher(corpus, loadLexicon('content/lexicon.json')));
const KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'];

function context(available: (ref: AudioRef) => boolean = () => true, smsEnabled = true) {
  return createLineContext({ langs: ['fr', 'en'], available, engine, smsEnabled });
}

const pressKeys = (step: LineStep) =>
  step.refs.filter((r) => r.kind === 'prompt' && r.key.startsWith('press.'));
const signature = (step: LineStep) => JSON.stringify(step.state);

/** Every step reachable from the start in `depth` keys. */
function crawl(ctx: ReturnType<typeof context>, depth: number): LineStep[] {
  const seen = new Map<string, LineStep>();
  let frontier = [startCall(ctx)!];
  for (let level = 0; level < depth; level += 1) {
    const next: LineStep[] = [];
    for (const step of frontier) {
      if (seen.has(signature(step))) continue;
      seen.set(signature(step), step);
      if (!step.gather) continue;
      for (const key of KEYS) next.push(onDigits(ctx, step.state, key));
    }
    frontier = next;
  }
  return [...seen.values()];
}

describe('the voice renderer of the menu model', () => {
  it('when every key is pressed everywhere, then no menu prompt offers more than four keys and every waiting step ends in a goodbye', () => {
    const steps = crawl(context(), 6);
    expect(steps.length).toBeGreaterThan(20);
    const places = new Set(steps.map((s) => (s.state.k === 'menu' ? s.state.menu.place.at : 'bye')));
    for (const at of ['lang', 'home', 'themes', 'number', 'rec', 'about', 'bye'])
      expect(places).toContain(at);
    for (const step of steps) {
      if (step.state.k === 'menu' && step.state.menu.place.at !== 'rec')
        expect(pressKeys(step).length, JSON.stringify(step.refs)).toBeLessThanOrEqual(PER_PROMPT);
      if (step.gather) expect(step.noInput.map((r) => r.key)).toEqual(['goodbye']);
      else expect(step.refs.map((r) => r.key)).toEqual(['goodbye']);
    }
  });

  it('when a key is not offered, then "not available" comes first and the place does not change', () => {
    const ctx = context();
    const home = onDigits(ctx, startCall(ctx)!.state, '1');
    const wrong = onDigits(ctx, home.state, '6');
    expect(wrong.refs[0]).toEqual({ lang: 'fr', kind: 'prompt', key: 'notAvailable' });
    expect(wrong.state).toEqual(home.state);
  });

  it('when SMS is not wired, then 9 is neither said nor accepted during a reading', () => {
    const ctx = context(() => true, false);
    let step = onDigits(ctx, startCall(ctx)!.state, '1');
    step = onDigits(ctx, step.state, '3');
    step = onDigits(ctx, step.state, '215#');
    expect(step.refs.map((r) => r.key)).toEqual(['2.15', 'reading.nav']);
    const nine = onDigits(ctx, step.state, VOICE_KEYS.sms);
    expect(nine.sms).toBeUndefined();
    expect(nine.refs[0]!.key).toBe('notAvailable');
  });

  it('when a follow-up is published for 2.10, then its status prompt follows the reading (only when it has audio)', () => {
    const published = createEngine(corpus, createSearcher(corpus, loadLexicon('content/lexicon.json')), {
      followUp: (id) =>
        id === '2.10'
          ? {
              recommendationId: '2.10',
              version: 1,
              status: 'announced',
              date: '2025-08-07',
              source: 'Charte',
              note: '',
              editor: 'ed',
              publishedAt: '2025-08-08T00:00:00Z',
            }
          : undefined,
    });
    const read = (available: (ref: AudioRef) => boolean, digits: string) => {
      const ctx = createLineContext({ langs: ['fr', 'en'], available, engine: published, smsEnabled: true });
      let step = onDigits(ctx, startCall(ctx)!.state, '1');
      step = onDigits(ctx, step.state, '3');
      return onDigits(ctx, step.state, digits).refs.map((r) => r.key);
    };
    expect(read(() => true, '210#')).toEqual(['2.10', 'followup.announced', 'reading.nav', 'reading.sms']);
    // Nothing published for 2.15: nothing said.
    expect(read(() => true, '215#')).toEqual(['2.15', 'reading.nav', 'reading.sms']);
    // No audio for the status prompt (not built yet): the reading goes on without it.
    expect(read((ref) => ref.key !== 'followup.announced', '210#')).toEqual([
      '2.10',
      'reading.nav',
      'reading.sms',
    ]);
  });

  it('when a theme has no audio for its readings, then it is not offered in the themes prompt', () => {
    const ctx = context((ref) => !(ref.kind === 'rec' && ref.key.startsWith('3.')));
    let step = onDigits(ctx, startCall(ctx)!.state, '1');
    step = onDigits(ctx, step.state, '1');
    const offered = step.refs.map((r) => r.key);
    expect(offered).not.toContain('theme.3');
    expect(offered.slice(0, 2)).toEqual(['theme.1', 'press.1']);
  });

  it('when digits are typed for a number, then 215 and 2*15 are 2.15, anything else as typed', () => {
    expect(numberInput('215')).toBe('2.15');
    expect(numberInput('2*15')).toBe('2.15');
    expect(numberInput('31')).toBe('3.1');
    expect(numberInput('2')).toBe('2');
    expect(numberInput('0')).toBe('0');
  });
});
