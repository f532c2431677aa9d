import { recLabel, recSummary, themeName } from '../content/localized.js';
import type { Engine, Lang } from '../core/types.js';
import { t, type MessageKey } from '../i18n/index.js';
import { aboutSummary, followUpShortLine, reportLines } from '../reply/index.js';
import { languageName } from './languages.js';
import type { Label } from './types.js';

/**
 * A menu label in words, in the person's language: what USSD draws and what a voice prompt says.
 * The sentences are the catalog's and the reply plans' (src/reply): a recommendation's text is
 * the report's words with its items' bullets, our summary is said to be ours, the About text is
 * the catalog's summary in the language.
 */
export function labelText(label: Label, lang: Lang, engine: Engine, extra?: Record<string, number>): string {
  if ('msg' in label) {
    const theme = label.shortOf === undefined ? undefined : engine.theme(label.shortOf);
    const short: Record<string, string> = theme ? { short: themeName(theme, lang) } : {};
    return t(lang, label.msg, { ...label.params, ...short, ...extra });
  }
  if ('theme' in label) {
    const theme = engine.theme(label.theme);
    return theme ? themeName(theme, lang) : String(label.theme);
  }
  if ('rec' in label) {
    const rec = engine.recommendation(label.rec);
    const text = rec ? recLabel(rec, lang) : '';
    return label.withId ? `${label.rec} ${text}` : text;
  }
  if ('recText' in label) {
    const rec = engine.recommendation(label.recText);
    if (!rec) return '';
    const summary = label.full ? undefined : recSummary(rec, lang);
    // An editor's follow-up (ours, with its source) closes the text.
    const entry = engine.followUpOf(rec.id);
    const followUp = entry ? [followUpShortLine(entry, lang)] : [];
    // Our summary is marked as ours; the report's text follows the report-text option.
    if (summary) return [summary, t(lang, 'summary.ours'), ...followUp].join('\n');
    const body = reportLines(rec).map((line) => (line.item ? `- ${line.text}` : line.text));
    return [...body, ...followUp].join('\n');
  }
  if ('about' in label) return `${t(lang, 'about.ours')}\n${aboutSummary(lang)}`;
  if ('language' in label) return languageName(label.language);
  return label.word;
}

/** The screens a menu channel ends a session with when it cannot go on: refusals, faults, limits. */
export type EndNotice = 'badRequest' | 'generic' | 'expired' | 'session' | 'tooLong' | 'rateLimited';

const END_NOTICES: Readonly<Record<EndNotice, MessageKey>> = {
  badRequest: 'ussd.error.badRequest',
  generic: 'ussd.error.generic',
  expired: 'ussd.error.expired',
  session: 'ussd.error.session',
  tooLong: 'ussd.error.tooLong',
  rateLimited: 'error.rateLimited',
};

export const endNotice = (notice: EndNotice, lang: Lang): string => t(lang, END_NOTICES[notice]);
