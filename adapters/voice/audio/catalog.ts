import { recSummary } from '../../../src/content/localized.js';
import type { Corpus, Recommendation } from '../../../src/content/schema.js';
import { languages, REFERENCE_LANG, speechVoice } from '../../../src/i18n/index.js';
import { readingIntro, themePromptKey, voicePromptKeys, voicePromptText } from '../../../src/reply/voice.js';
import type { AudioKind, VoiceLang } from '../types.js';

/**
 * Everything the voice line can play, per language, and what each item says. The texts come
 * from the UI catalogs (the `voice.*` keys of content/i18n, ours) and from the corpus (the report's words, read
 * in French in every language: there is no translation of the report). Bambara has no
 * synthesis: its items are what a speaker records from the script (the Bambara catalog's
 * sentence, with the French beside it).
 */

/** A language with a speech voice in its catalog (`meta.speech`). */
export type SynthLang = string;

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
  /**
   * What a speaker reads in the studio: a prompt's sentence in the item's language (Bambara's
   * from its catalog), a reading's text (the report's French words, which a Bambara speaker
   * renders).
   */
  script: string;
  /** The French sentence, when the script is in another language. */
  reference?: string;
  /** Whose words the script is: ours (`draft` until a named person reviewed them) or the report's. */
  review: 'draft' | 'reviewed' | 'report';
  /** For a Bambara reading: our summary in Bambara (a draft aid for the speaker, not the report). */
  aid?: string;
}

/** Prompt keys (src/reply/voice.ts). */
export const promptKeys = voicePromptKeys;

// `followup.in_progress`: keys have underscores too.
const KEY_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._]{0,40}$/;
export const isAudioKey = (key: string): boolean => KEY_PATTERN.test(key);

/** "2.15" is read as "2 point 15", in both languages. */
export function speakable(text: string): string {
  return text.replace(/(\d)\.(\d)/g, '$1 point $2');
}

/** The report's words of one recommendation, as one text. */
export function recommendationBody(rec: Recommendation): string {
  return [rec.text, ...(rec.items ?? [])].join(' ');
}

export { themePromptKey };

const promptText = voicePromptText;

/** The review state of `lang`'s catalog (ours: draft until a named person reviewed it). */
function catalogReview(lang: VoiceLang): 'draft' | 'reviewed' {
  return languages().find((language) => language.code === lang)?.review.state ?? 'draft';
}

export interface AudioCatalog {
  items(lang: VoiceLang, kind?: AudioKind): AudioItem[];
  item(lang: VoiceLang, kind: AudioKind, key: string): AudioItem | undefined;
}

export function createAudioCatalog(corpus: Corpus): AudioCatalog {
  const byId = new Map(corpus.recommendations.map((rec) => [rec.id, rec]));
  const PROMPT_KEYS = [...promptKeys(), ...corpus.themes.map((theme) => themePromptKey(theme.number))];
  const build = (lang: VoiceLang, kind: AudioKind, key: string): AudioItem | undefined => {
    // A reading's frame in a language without synthesis is recorded from its French.
    const synthesised = speechVoice(lang) !== undefined;
    const scriptLang: SynthLang = synthesised ? lang : REFERENCE_LANG;
    if (kind === 'prompt') {
      if (!PROMPT_KEYS.includes(key)) return undefined;
      if (synthesised) {
        const text = speakable(promptText(key, lang, corpus).text);
        return { kind, key, script: text, review: catalogReview(lang), segments: [{ lang, text }] };
      }
      const own = promptText(key, lang, corpus);
      return {
        kind,
        key,
        script: own.text,
        reference: promptText(key, REFERENCE_LANG, corpus).text,
        review: own.review ?? catalogReview(lang),
      };
    }
    const rec = byId.get(key);
    if (!rec) return undefined;
    const intro = speakable(readingIntro(rec.id, scriptLang));
    const body = recommendationBody(rec);
    // The report's words are one French segment shared by the French and English readings.
    const segments: Segment[] = [
      { lang: scriptLang, text: intro },
      { lang: REFERENCE_LANG, text: body },
    ];
    return {
      kind,
      key,
      script: segments.map((s) => s.text).join(' '),
      review: 'report',
      ...(synthesised ? { segments } : { aid: recSummary(rec, lang) }),
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
