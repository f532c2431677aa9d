import { themeNameEntry } from '../content/localized.js';
import type { Corpus } from '../content/schema.js';
import type { Lang } from '../core/types.js';
import { messageKeys, REFERENCE_LANG, t, type MessageKey } from '../i18n/index.js';
import { aboutSummary } from './reading.js';

/**
 * The voice line's sentences: each prompt (a `voice.*` catalog sentence without placeholders,
 * the About text and a theme's offer) in the caller's language. A language without speech
 * synthesis (Bambara) is recorded from these very texts.
 */

/** Prompt keys: every `voice.*` sentence without placeholders, `voice.` removed, and the About. */
export function voicePromptKeys(): readonly string[] {
  return [
    ...messageKeys('voice.')
      .filter((key) => !t(REFERENCE_LANG, key).includes('{'))
      .map((key) => key.slice('voice.'.length)),
    'about',
  ];
}

/** A theme's offer on a voice menu ("For theme 2, <its short name>,"), one prompt per theme. */
export const themePromptKey = (number: number): string => `theme.${number}`;

/**
 * What a prompt says in `lang`, and (for a theme's offer) the review state of the name it says.
 * The theme's name is the language's own (ours) where one is written, else the corpus's French.
 */
export function voicePromptText(
  key: string,
  lang: Lang,
  corpus: Corpus,
): { text: string; review?: 'draft' | 'reviewed' } {
  if (key === 'about') return { text: t(lang, 'voice.about.intro', { summary: aboutSummary(lang) }) };
  const theme = /^theme\.(\d+)$/.exec(key);
  if (theme) {
    const found = corpus.themes.find((th) => th.number === Number(theme[1]))!;
    const entry = lang === REFERENCE_LANG ? undefined : themeNameEntry(found, lang);
    return {
      text: t(lang, 'voice.theme.offer', { number: found.number, name: entry?.name ?? found.short }),
      ...(entry ? { review: entry.state } : {}),
    };
  }
  return { text: t(lang, `voice.${key}` as MessageKey) };
}

/**
 * The sentence a gateway's own text-to-speech says when the line has no audio at all to play (a
 * fault at start-up, nothing recorded or synthesised): Africa's Talking's `Say` reads English
 * only, so it is the English sentence, whatever the caller chose.
 */
export const gatewaySpeech = (key: 'error' | 'rateLimited'): string =>
  t('en', key === 'error' ? 'voice.error' : 'voice.rateLimited');

/** "Recommandation 2.15." before a reading. */
export const readingIntro = (id: string, lang: Lang): string => t(lang, 'voice.rec.intro', { id });
