import type { Lang } from '../../src/core/types.js';
import { isLang } from '../../src/i18n/index.js';

/**
 * The ids we put on list rows and reply buttons; WhatsApp sends them back verbatim in
 * `list_reply.id` / `button_reply.id`. Short, readable, and parsed strictly: an id we did not
 * make (or an old format) decodes to undefined and gets a polite "no longer valid".
 */
export type Choice =
  | { kind: 'home' }
  | { kind: 'help' }
  | { kind: 'about' }
  | { kind: 'themes' }
  | { kind: 'languageMenu' }
  | { kind: 'language'; lang: Lang }
  | { kind: 'theme'; theme: number; page: number }
  | { kind: 'open'; id: string }
  | { kind: 'next'; id: string }
  | { kind: 'fullText'; id: string }
  | { kind: 'share'; id: string };

const REC = '([1-9]\\.\\d{1,3})';

export function encodeChoice(choice: Choice): string {
  switch (choice.kind) {
    case 'home':
      return 'home';
    case 'help':
      return 'help';
    case 'about':
      return 'about';
    case 'themes':
      return 'themes';
    case 'languageMenu':
      return 'lang';
    case 'language':
      return `lang:${choice.lang}`;
    case 'theme':
      return `t:${choice.theme}:${choice.page}`;
    case 'open':
      return `r:${choice.id}`;
    case 'next':
      return `n:${choice.id}`;
    case 'fullText':
      return `x:${choice.id}`;
    case 'share':
      return `s:${choice.id}`;
  }
}

export function decodeChoice(id: string): Choice | undefined {
  switch (id) {
    case 'home':
    case 'help':
    case 'about':
    case 'themes':
      return { kind: id };
    case 'lang':
      return { kind: 'languageMenu' };
  }
  const language = /^lang:([a-z]{2,3})$/.exec(id);
  // A language removed since the button was drawn: "no longer valid", like any stale id.
  if (language) return isLang(language[1]) ? { kind: 'language', lang: language[1] } : undefined;
  const theme = /^t:([1-9]):(\d{1,2})$/.exec(id);
  if (theme) return { kind: 'theme', theme: Number(theme[1]), page: Number(theme[2]) };
  const rec = new RegExp(`^([rnxs]):${REC}$`).exec(id);
  if (!rec) return undefined;
  const recId = rec[2]!;
  const kinds = { r: 'open', n: 'next', x: 'fullText', s: 'share' } as const;
  return { kind: kinds[rec[1] as keyof typeof kinds], id: recId };
}
