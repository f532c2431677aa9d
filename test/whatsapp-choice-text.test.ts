import { describe, expect, it } from 'vitest';
import { encodeChoice, type Choice } from '../adapters/whatsapp/ids.js';
import { createWhatsAppRenderer } from '../adapters/whatsapp/render.js';
import { textOf } from '../adapters/whatsapp/turn.js';
import { loadCorpus } from '../src/content/load.js';
import { createEngine } from '../src/core/engine.js';
import type { Intent } from '../src/core/types.js';
import { languages } from '../src/i18n/index.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';

const corpus = loadCorpus('content/recommendations.json');
const engine = createEngine(corpus, createSearcher(corpus, loadLexicon('content/lexicon.json')));
const renderer = createWhatsAppRenderer(engine);

/** What the use case will make of a row or button: the text it stands for, parsed. */
const intentOf = (choice: Choice): Intent =>
  engine.parse(textOf({ kind: 'choice', id: encodeChoice(choice) }, renderer).text);

describe('a WhatsApp choice goes through the shared use case as the text it stands for', () => {
  it('when each kind of row or button is tapped, then its text parses to the intent it means', () => {
    expect(intentOf({ kind: 'home' })).toEqual({ kind: 'home' });
    expect(intentOf({ kind: 'help' })).toEqual({ kind: 'help' });
    expect(intentOf({ kind: 'about' })).toEqual({ kind: 'about' });
    expect(intentOf({ kind: 'themes' })).toEqual({ kind: 'themes' });
    expect(intentOf({ kind: 'languageMenu' })).toEqual({ kind: 'language', lang: null });
    expect(intentOf({ kind: 'open', id: '2.15' })).toEqual({ kind: 'recommendation', theme: 2, number: 15 });
    expect(intentOf({ kind: 'fullText', id: '2.15' })).toEqual({
      kind: 'recommendation',
      theme: 2,
      number: 15,
    });
    expect(intentOf({ kind: 'share', id: '5.3' })).toEqual({ kind: 'recommendation', theme: 5, number: 3 });
  });

  it('when every theme page row is tapped, then it is that theme, and the page travels as the view', () => {
    for (const theme of corpus.themes) {
      const { text, view } = textOf(
        { kind: 'choice', id: encodeChoice({ kind: 'theme', theme: theme.number, page: 2 }) },
        renderer,
      );
      expect(engine.parse(text)).toEqual({ kind: 'theme', theme: theme.number });
      expect(view).toEqual({ kind: 'page', page: 2 });
    }
  });

  it('when every language of languages() is chosen, then its keyword picks that language', () => {
    for (const language of languages())
      expect(intentOf({ kind: 'language', lang: language.code })).toEqual({
        kind: 'language',
        lang: language.code,
      });
  });

  it('when "next" is tapped on every recommendation, then it opens the following one; after the last, it says so', () => {
    const ordered = [...corpus.recommendations].sort((a, b) => a.theme - b.theme || a.number - b.number);
    ordered.forEach((rec, i) => {
      const { text, view } = textOf(
        { kind: 'choice', id: encodeChoice({ kind: 'next', id: rec.id }) },
        renderer,
      );
      const following = ordered[i + 1];
      if (following) {
        expect(text).toBe(following.id);
        expect(view).toEqual({ kind: 'plain' });
      } else expect(view).toEqual({ kind: 'last' });
    });
  });

  it('when an id we never made or a voice note arrives, then an empty text goes in with a pointer as the view', () => {
    expect(textOf({ kind: 'choice', id: 'zz:1' }, renderer)).toEqual({
      text: '',
      view: { kind: 'notice', what: 'expired', as: 'expired' },
    });
    expect(textOf({ kind: 'unsupported', what: 'audio' }, renderer).view).toMatchObject({ what: 'voice' });
    expect(engine.parse('')).toEqual({ kind: 'empty' });
  });
});
