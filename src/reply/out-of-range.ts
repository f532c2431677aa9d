import type { Lang, Reply } from '../core/types.js';
import { t } from '../i18n/index.js';
import { orList } from './words.js';

/**
 * A number that names no recommendation, said once for every channel (the engine's reply, SUIVI
 * of a number that does not exist, a typed number on USSD reads its own hint): the report's
 * count when that is what was typed (300), the real ids it was probably meant as (10 → 1.10),
 * else the valid range.
 */
export function outOfRangeSentence(
  reply: Omit<Extract<Reply, { kind: 'outOfRange' }>, 'kind'>,
  lang: Lang,
): string {
  if (reply.total !== undefined)
    return t(lang, 'outOfRange.total', { count: reply.total, themeCount: reply.themeCount });
  if (reply.suggestions?.length)
    return t(lang, 'outOfRange.suggest', { ids: orList(reply.suggestions, lang) });
  const validTheme = reply.theme >= 1 && reply.theme <= reply.themeCount;
  if (reply.number !== undefined && reply.maxNumber !== undefined && validTheme)
    return t(lang, 'outOfRange.recommendation', {
      id: `${reply.theme}.${reply.number}`,
      theme: reply.theme,
      count: reply.maxNumber,
    });
  return t(lang, 'outOfRange.theme', { theme: reply.theme, themeCount: reply.themeCount });
}
