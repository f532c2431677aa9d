import type { Corpus, Recommendation } from '../../../src/content/schema.js';
import { messageKeys, REFERENCE_LANG, t, type MessageKey } from '../../../src/i18n/index.js';
import type { AudioKind, VoiceLang } from '../types.js';

/**
 * Everything the voice line can play, per language, and what each item says. The texts come
 * from the UI catalogs (the `voice.*` keys of content/i18n, ours) and from the corpus (the report's words, read
 * in French in every language: there is no translation of the report).
 */

export type SynthLang = 'fr' | 'en';

/** A stretch of text spoken by one voice. */
export interface Segment {
  lang: SynthLang;
  text: string;
}

export interface AudioItem {
  kind: AudioKind;
  key: string;
  /** The synthesis plan (several voices for an English reading of the French text); none for Bambara. */
  segments?: Segment[];
  /** What a speaker reads or translates in the studio (for Bambara: the French text to render). */
  script: string;
}

/** Prompt keys: every `voice.*` string without placeholders, `voice.` removed. */
export function promptKeys(): readonly string[] {
  return [
    ...messageKeys('voice.')
      .filter((key) => !t(REFERENCE_LANG, key).includes('{'))
      .map((key) => key.slice('voice.'.length)),
    'about',
  ];
}

const KEY_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9.]{0,40}$/;
export const isAudioKey = (key: string): boolean => KEY_PATTERN.test(key);

/** "2.15" is read as "2 point 15", in both languages. */
export function speakable(text: string): string {
  return text.replace(/(\d)\.(\d)/g, '$1 point $2');
}

/** The report's words of one recommendation, as one text. */
export function recommendationBody(rec: Recommendation): string {
  return [rec.text, ...(rec.items ?? [])].join(' ');
}

/** A theme's offer on a voice menu ("For theme 2, <its short name>,"), one prompt per theme. */
export const themePromptKey = (number: number) => `theme.${number}`;

function promptText(key: string, lang: SynthLang, corpus: Corpus): string {
  if (key === 'about') return t(lang, 'voice.about.intro', { summary: corpus.about.summary[lang] });
  const theme = /^theme\.(\d+)$/.exec(key);
  if (theme) {
    const found = corpus.themes.find((th) => th.number === Number(theme[1]))!;
    // The short name is ours and written in French only: both languages say it as written.
    return t(lang, 'voice.theme.offer', { number: found.number, name: found.short });
  }
  return t(lang, `voice.${key}` as MessageKey);
}

export interface AudioCatalog {
  items(lang: VoiceLang, kind?: AudioKind): AudioItem[];
  item(lang: VoiceLang, kind: AudioKind, key: string): AudioItem | undefined;
}

export function createAudioCatalog(corpus: Corpus): AudioCatalog {
  const byId = new Map(corpus.recommendations.map((rec) => [rec.id, rec]));
  const PROMPT_KEYS = [...promptKeys(), ...corpus.themes.map((theme) => themePromptKey(theme.number))];
  const build = (lang: VoiceLang, kind: AudioKind, key: string): AudioItem | undefined => {
    // Bambara speakers work from the French script.
    const scriptLang: SynthLang = lang === 'en' ? 'en' : 'fr';
    if (kind === 'prompt') {
      if (!PROMPT_KEYS.includes(key)) return undefined;
      const text = speakable(promptText(key, scriptLang, corpus));
      return { kind, key, script: text, segments: lang === 'bm' ? undefined : [{ lang: scriptLang, text }] };
    }
    const rec = byId.get(key);
    if (!rec) return undefined;
    const intro = speakable(t(scriptLang, 'voice.rec.intro', { id: rec.id }));
    const body = recommendationBody(rec);
    // The report's words are one French segment shared by the French and English readings.
    const segments: Segment[] = [
      { lang: scriptLang, text: intro },
      { lang: 'fr', text: body },
    ];
    return {
      kind,
      key,
      script: segments.map((s) => s.text).join(' '),
      segments: lang === 'bm' ? undefined : segments,
    };
  };
  const cache = new Map<string, AudioItem[]>();
  return {
    items(lang, kind) {
      const cacheKey = `${lang}:${kind ?? '*'}`;
      let list = cache.get(cacheKey);
      if (!list) {
        const keys: Array<[AudioKind, string]> = [
          ...(kind !== 'rec' ? PROMPT_KEYS.map((key): [AudioKind, string] => ['prompt', key]) : []),
          ...(kind !== 'prompt'
            ? corpus.recommendations.map((rec): [AudioKind, string] => ['rec', rec.id])
            : []),
        ];
        list = keys.map(([k, key]) => build(lang, k, key)!);
        cache.set(cacheKey, list);
      }
      return list;
    },
    item: (lang, kind, key) => (isAudioKey(key) ? build(lang, kind, key) : undefined),
  };
}
