import { recSummary, themeTitle } from '../content/localized.js';
import type { Repeat } from '../content/repeats.js';
import type { Engine, Lang, Recommendation, Reply } from '../core/types.js';
import { formatDate, t } from '../i18n/index.js';
import { followUpShortLine } from './followup.js';
import type { Action, Line, ReplyPlan, Surface } from './types.js';
import { action, line, optional, para, themesAndHome } from './words.js';

/**
 * What is read: a recommendation (the report's words, or our summary first where the language
 * has one), the About text, and a recommendation written to be forwarded. The report's words
 * are `report` lines, verbatim; everything of ours around them is said to be ours.
 */

type Of<K extends Reply['kind']> = Extract<Reply, { kind: K }>;

/** The report's words for a recommendation: its text, then each item (a channel draws the bullet). */
export function reportLines(rec: Pick<Recommendation, 'text' | 'items'>): Line[] {
  return [
    { text: rec.text, tone: 'report' },
    ...(rec.items ?? []).map((item): Line => ({ text: item, tone: 'report', item: true })),
  ];
}

export interface ReadingContext {
  engine: Engine;
  /** The report's repeats (src/content/repeats.ts): "NB : même texte que la 4.57." */
  repeats: Map<string, Repeat[]>;
}

export function recommendationPlan(
  reply: Of<'recommendation'>,
  lang: Lang,
  surface: Surface,
  ctx: ReadingContext,
): ReplyPlan {
  const { recommendation: rec, theme } = reply;
  const typed = surface.input === 'typed';
  const id = rec.id;
  const place = t(lang, 'theme.title', { theme: theme.number, title: themeTitle(theme, lang) });
  // The follow-up an editor published: the reply's, else the engine's (a reply built by a channel).
  const published = reply.followUp ?? ctx.engine.followUpOf(id);
  const followUp = published ? [para(followUpShortLine(published, lang), 'ours')] : [];
  // Ours, after the report's words: how to give the one-key reaction (AVIS 2.10 1) where people type.
  const feedback = typed ? [line(t(lang, 'feedback.hint', { id }))] : [];
  const summary = reply.reportText ? undefined : recSummary(rec, lang);
  const actions: Action[] = [
    // Where a summary is shown, the report's own text is one step away.
    ...(summary ? [action(lang, 'button.reportText', { to: 'reportText', id })] : []),
    action(lang, 'button.useful', { to: 'feedback', id, value: 'useful' }),
    action(lang, 'button.unclear', { to: 'feedback', id, value: 'unclear' }),
    ...neighbours(rec, lang, ctx.engine),
    action(lang, 'button.theme', { to: 'theme', theme: theme.number }, { theme: theme.number }),
    action(lang, 'button.share', { to: 'share', id }),
    action(lang, 'button.home', { to: 'home' }),
  ];
  if (summary)
    return {
      kind: 'recommendation',
      lines: [
        line(t(lang, 'summary.title', { id }), 'title'),
        ...(typed ? [] : [line(place, 'ours')]),
        para(summary),
        para(t(lang, 'summary.ours'), 'ours'),
        ...(typed ? [line(t(lang, 'sms.reportText', { id }))] : []),
        ...followUp,
        ...feedback,
      ],
      actions,
    };
  const repeats = (ctx.repeats.get(id) ?? []).map((repeat) =>
    para(t(lang, `repeat.${repeat.kind}`, { id: repeat.id }), 'ours'),
  );
  const [first, ...items] = reportLines(rec);
  return {
    kind: 'recommendation',
    lines: [
      line(t(lang, typed ? 'sms.recommendation.header' : 'recommendation.title', { id }), 'title'),
      ...(typed ? [] : [line(place, 'ours')]),
      { ...first!, break: true },
      ...items,
      ...repeats,
      ...(typed ? [] : [para(t(lang, 'recommendation.source'), 'ours')]),
      ...followUp,
      ...feedback,
      // Its place in the report, where it costs no message more.
      ...(typed ? [optional(place)] : []),
    ],
    actions,
  };
}

/** ◀ ▶ within the theme: its first and last lead nowhere beyond it (the theme's button is there). */
const neighbours = (rec: Recommendation, lang: Lang, engine: Engine): Action[] => {
  const siblings = engine.recommendationsOf(rec.theme);
  const at = siblings.findIndex((sibling) => sibling.id === rec.id);
  const previous = at > 0 ? siblings[at - 1] : undefined;
  const next = at >= 0 ? siblings[at + 1] : undefined;
  return [
    ...(previous
      ? [action(lang, 'button.previous', { to: 'previous', id: previous.id }, { id: previous.id })]
      : []),
    ...(next ? [action(lang, 'button.next', { to: 'next', id: next.id }, { id: next.id })] : []),
  ];
};

/** The report's text alone, whole (asked from a summary, or from a card cut for its length). */
export function reportTextPlan(rec: Recommendation, lang: Lang): ReplyPlan {
  return {
    kind: 'reportText',
    lines: [
      line(t(lang, 'recommendation.title', { id: rec.id }), 'title'),
      ...reportLines(rec).map((entry, i) => (i === 0 ? { ...entry, break: true as const } : entry)),
      para(t(lang, 'recommendation.source'), 'ours'),
    ],
    actions: [action(lang, 'button.home', { to: 'home' })],
  };
}

/** A recommendation written to be forwarded as it is, then how to forward it. */
export function sharePlan(rec: Recommendation, lang: Lang): { message: ReplyPlan; hint: ReplyPlan } {
  return {
    message: {
      kind: 'share',
      lines: [
        line(`${t(lang, 'recommendation.title', { id: rec.id })} – ${t(lang, 'app.name')}`, 'title'),
        ...reportLines(rec).map((entry, i) => (i === 0 ? { ...entry, break: true as const } : entry)),
        para(t(lang, 'recommendation.source'), 'ours'),
      ],
      actions: [],
    },
    hint: { kind: 'share', lines: [line(t(lang, 'share.hint'))], actions: [] },
  };
}

/** Our summary of the Dialogue in the person's language (catalog `about.summary`). */
export const aboutSummary = (lang: Lang): string => t(lang, 'about.summary');

export function aboutPlan(reply: Of<'about'>, lang: Lang): ReplyPlan {
  const summary = aboutSummary(lang);
  const date = formatDate(reply.about.reportDate, lang);
  return {
    kind: 'about',
    lines: [
      line(t(lang, 'about.title'), 'title'),
      para(summary),
      // The summary may already end on the report's date and place: said once.
      ...(summary.includes(date)
        ? []
        : [
            {
              ...para(t(lang, 'about.report', { date, place: reply.about.reportPlace })),
              optional: true as const,
            },
          ]),
      para(t(lang, 'about.ours'), 'ours'),
    ],
    actions: themesAndHome(lang),
    // By SMS, a one-segment short form first; the whole summary on SUITE.
    intro: (pages) => [line(t(lang, 'sms.about.short', { pages }))],
  };
}
