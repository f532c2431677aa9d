import type { Lang } from '../core/types.js';
import { commonMessages } from './common.js';
import { followUpMessages } from './followup.js';
import { smsMessages } from './sms.js';
import { telegramMessages } from './telegram.js';
import { ussdMessages } from './ussd.js';
import { webMessages } from './web.js';

/**
 * The one catalog of UI strings, French first. Every sentence a person reads that is not the
 * report's own words comes from here. Sections live in their own files (common, ussd, sms,
 * telegram, web) and are merged below. Placeholders are written {name}.
 */
export type MessageTable = Record<string, { fr: string; en: string }>;

export const catalog = {
  ...commonMessages,
  ...smsMessages,
  ...telegramMessages,
  ...ussdMessages,
  ...webMessages,
  ...followUpMessages,
} satisfies MessageTable;

export type MessageKey = keyof typeof catalog;

export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalog[key][lang];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
