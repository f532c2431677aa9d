import type { Engine, Lang, Reply } from '../../src/core/types.js';
import type { FollowUpAnswer } from '../../src/followup/turn.js';
import type { PageRef, PageRenderer } from '../../src/conversation/pages.js';
import { gsm7Length } from '../../src/text/gsm7.js';
import { echo, keepsOwnLetters, smsText, QUERY_ECHO_MAX, type Ucs2Langs } from './render.js';

/**
 * SMS answers described for SUITE without a word of what the person typed (src/conversation/
 * pages.ts): a search answer keeps its result ids, its flags and the *length* of the query's
 * echo, never the echo. Rendering again with a stand-in of that length ("....") lays the pages
 * out exactly as the first time, so SUITE sends the same next page; only a page holding the
 * echo (the first, reached again with PRECEDENT) shows the stand-in instead of the words.
 */
type SmsPageRef =
  | { kind: 'recommendation'; id: string; reportText?: true }
  | { kind: 'theme'; theme: number }
  | { kind: 'help' | 'home' | 'themes' | 'about' }
  | { kind: 'searchResults'; ids: string[]; close?: true; theme?: number; echo: number; suggestion?: number }
  | { kind: 'followUp'; answer: FollowUpAnswer };

/**
 * A stand-in of `length` in the renderer's unit (GSM-7 septets, or characters for UCS-2) that
 * the echo keeps whole: dots, and for an echo longer than its characters (GSM-7's two-septet
 * signs, € [ ] …) as many two-septet bars as needed.
 */
function standIn(length: number, unicode: boolean): string {
  if (unicode || length <= QUERY_ECHO_MAX) return '.'.repeat(Math.min(length, QUERY_ECHO_MAX));
  const double = Math.min(QUERY_ECHO_MAX, length - QUERY_ECHO_MAX);
  return '|'.repeat(double) + '.'.repeat(Math.max(0, length - 2 * double));
}

export function smsPageRenderer(deps: {
  engine: Engine;
  /** The channel's own renderer as pages, the one the first answer went through. */
  paginate: (reply: Reply, lang: Lang) => string[];
  ucs2Langs: Ucs2Langs;
}): PageRenderer {
  const { engine } = deps;
  /** The echo's length as the renderer measures it in `lang`. */
  const septets = (text: string, lang: Lang) => {
    const written = smsText(echo(text), lang, deps.ucs2Langs);
    return keepsOwnLetters(lang, deps.ucs2Langs) ? written.length : gsm7Length(written);
  };

  const describe = (reply: Reply, lang: Lang): SmsPageRef | undefined => {
    switch (reply.kind) {
      case 'recommendation':
        return {
          kind: 'recommendation',
          id: reply.recommendation.id,
          ...(reply.reportText ? { reportText: true as const } : {}),
        };
      case 'theme':
        return { kind: 'theme', theme: reply.theme.number };
      case 'help':
      case 'home':
      case 'themes':
      case 'about':
        return { kind: reply.kind };
      case 'searchResults': {
        // Every result is in the reply already (the SMS conversation asks for them all).
        const full = reply;
        return {
          kind: 'searchResults',
          ids: full.hits.map((hit) => hit.recommendation.id),
          ...(full.close ? { close: true as const } : {}),
          ...(full.theme ? { theme: full.theme.number } : {}),
          echo: septets(full.echo, lang),
          ...(full.suggestion !== undefined ? { suggestion: septets(full.suggestion, lang) } : {}),
        };
      }
      case 'followUp':
        // Published follow-ups and outcomes: editors' public words and numbers, nothing typed.
        return { kind: 'followUp', answer: reply.answer };
      default:
        // Short answers (one page); anything else would need its text: not kept.
        return undefined;
    }
  };

  const replyOf = (ref: SmsPageRef, lang: Lang): Reply | undefined => {
    const unicode = keepsOwnLetters(lang, deps.ucs2Langs);
    switch (ref.kind) {
      case 'recommendation': {
        const recommendation = engine.recommendation(ref.id);
        const theme = recommendation && engine.theme(recommendation.theme);
        if (!recommendation || !theme) return undefined;
        const followUp = engine.followUpOf(recommendation.id);
        return {
          kind: 'recommendation',
          recommendation,
          theme,
          ...(ref.reportText ? { reportText: true as const } : {}),
          ...(followUp ? { followUp } : {}),
        };
      }
      case 'theme':
        return engine.respond({ kind: 'theme', theme: ref.theme });
      case 'help':
      case 'home':
      case 'themes':
      case 'about':
        return engine.respond({ kind: ref.kind });
      case 'searchResults': {
        const hits = ref.ids.map((id) => engine.recommendation(id));
        if (hits.some((rec) => !rec)) return undefined;
        const theme = ref.theme === undefined ? undefined : engine.theme(ref.theme);
        return {
          kind: 'searchResults',
          // Asked of no search again and never shown: only the echo's stand-in is laid out.
          query: '',
          echo: standIn(ref.echo, unicode),
          hits: hits.map((recommendation) => ({ recommendation: recommendation!, score: 0 })),
          ...(ref.suggestion !== undefined ? { suggestion: standIn(ref.suggestion, unicode) } : {}),
          ...(ref.close ? { close: true } : {}),
          ...(theme ? { theme } : {}),
        };
      }
      case 'followUp':
        return { kind: 'followUp', answer: ref.answer };
    }
  };

  return {
    describe: (reply, lang) => describe(reply, lang) as PageRef | undefined,
    render(ref, lang) {
      const reply = replyOf(ref as unknown as SmsPageRef, lang);
      return reply ? deps.paginate(reply, lang) : undefined;
    },
  };
}
