import type { FollowUpStatus, FollowUpVersion } from '../followup/model.js';
import type { FollowUpReply } from '../followup/reply.js';
import type { FollowUpAnswer } from '../followup/turn.js';
import type { Lang } from '../core/types.js';
import { formatDate, t, tp } from '../i18n/index.js';
import { outOfRangeSentence } from './out-of-range.js';

/**
 * The follow-up in words: SUIVI's answer, the line under a recommendation, ABONNE's and
 * DESABONNE's outcomes. Dates are written as the language writes them (Intl), never ISO.
 */

export function statusLabel(lang: Lang, status: FollowUpStatus): string {
  return t(lang, `followup.status.${status}`);
}

/** The answer to SUIVI as lines; the source is shown whole (a link stays a link). */
export function followUpLines(reply: FollowUpReply, lang: Lang): string[] {
  if (reply.kind === 'followUpGeneral')
    return [t(lang, 'followup.general'), tp(lang, 'followup.generalCount', reply.published)];
  const lines = [t(lang, 'followup.title', { id: reply.recommendationId })];
  const entry = reply.entry;
  if (!entry || entry.status === 'none') {
    lines.push(t(lang, 'followup.none'));
    if (entry) lines.push(t(lang, 'followup.updated', { date: formatDate(entry.date, lang) }));
    return lines;
  }
  lines.push(
    t(lang, 'followup.statusLine', {
      status: statusLabel(lang, entry.status),
      date: formatDate(entry.date, lang),
    }),
  );
  lines.push(t(lang, 'followup.source', { source: entry.source }));
  if (entry.note) lines.push(t(lang, 'followup.note', { note: entry.note }));
  return lines;
}

/**
 * The one line shown under a recommendation on every channel when an editor published its
 * follow-up: labelled "Suivi" (ours, with its source), kept apart from the report's words.
 */
export function followUpShortLine(entry: FollowUpVersion, lang: Lang): string {
  const date = formatDate(entry.date, lang);
  if (entry.status === 'none') return t(lang, 'followup.shortNone', { date });
  return t(lang, 'followup.short', { status: statusLabel(lang, entry.status), date, source: entry.source });
}

/** SUIVI, ABONNE and DESABONNE's answers as lines. */
export function followUpAnswerLines(answer: FollowUpAnswer, lang: Lang): string[] {
  switch (answer.kind) {
    case 'followUp':
    case 'followUpGeneral':
      return followUpLines(answer, lang);
    case 'outOfRange':
      return [
        outOfRangeSentence(
          {
            theme: answer.theme,
            themeCount: answer.themeCount,
            ...(answer.number !== undefined ? { number: answer.number } : {}),
            ...(answer.count !== undefined ? { maxNumber: answer.count } : {}),
          },
          lang,
        ),
      ];
    case 'subscriptionsUnavailable':
      return [t(lang, 'subscribe.unavailable')];
    case 'subscribe': {
      const r = answer.result;
      if (r.outcome === 'optedOut') return [t(lang, 'subscribe.optedOut')];
      if (r.outcome === 'badTheme')
        return [t(lang, 'subscribe.badTheme', { theme: r.theme, themeCount: r.themeCount })];
      return r.theme === null ? [t(lang, 'subscribe.all')] : [t(lang, 'subscribe.theme', { theme: r.theme })];
    }
    case 'unsubscribe': {
      const r = answer.result;
      if (r.outcome === 'notSubscribed') return [t(lang, 'unsubscribe.notSubscribed')];
      return r.theme === null
        ? [t(lang, 'unsubscribe.done')]
        : [t(lang, 'unsubscribe.theme', { theme: r.theme })];
    }
  }
}
