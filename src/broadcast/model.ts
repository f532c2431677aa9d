import type { Lang } from '../core/refs.js';
import { languageCodes, REFERENCE_LANG } from '../i18n/index.js';
import type { Audience, Subscription, SubscriptionChannel } from '../subscriptions/model.js';

/**
 * A broadcast: one message per language of the catalogs (the reference language's, French,
 * required; a subscriber whose language has no text gets the French one), an audience, and an
 * id that makes every step idempotent. The languages are the catalogs' (`languageCodes()`),
 * a parameter of the functions below so a test or another catalog set can choose them.
 */
export interface BroadcastDraft {
  messages: Partial<Record<Lang, string>>;
  audience: Audience;
}

/** At most this many SMS segments per language: a broadcast is news, not a document. */
const BROADCAST_MAX_SEGMENTS = 3;

export type SegmentCounter = (text: string) => { segments: number; encoding: 'GSM-7' | 'UCS-2' };

interface LanguagePlan {
  lang: Lang;
  /** The text sent to this language's subscribers (their own, or French when they have none). */
  text: string;
  fallback: boolean;
  recipients: number;
  smsRecipients: number;
  segments: number;
  encoding: 'GSM-7' | 'UCS-2';
  characters: number;
}

export interface DryRun {
  recipients: number;
  /** Already opted out at dry-run time (checked again at send time). */
  optedOut: number;
  languages: LanguagePlan[];
  /** SMS segments in all (Telegram and WhatsApp messages are not billed per segment). */
  smsSegments: number;
  estimatedCost: number;
  problems: string[];
}

export class BroadcastValidationError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid broadcast: ${problems.join('; ')}`);
  }
}

/** A broadcast id already used for another message: starting it again would not send this one. */
export class BroadcastConflictError extends Error {
  constructor(readonly id: string) {
    super(`broadcast ${id} was started with another message`);
  }
}

export function textFor(draft: BroadcastDraft, lang: Lang): string {
  const own = draft.messages[lang]?.trim();
  return own ? own : (draft.messages[REFERENCE_LANG]?.trim() ?? '');
}

/** What is wrong with a draft before anything is queued (empty French text, too many segments, ...). */
export function draftProblems(
  draft: BroadcastDraft,
  count: SegmentCounter,
  langs: readonly Lang[] = languageCodes(),
): string[] {
  const problems: string[] = [];
  if (!draft.messages[REFERENCE_LANG]?.trim()) problems.push('fr: the French message is required');
  for (const lang of Object.keys(draft.messages))
    if (!langs.includes(lang)) problems.push(`${lang}: not a language of the catalogs`);
  for (const lang of langs) {
    const text = draft.messages[lang]?.trim();
    if (!text) continue;
    if (/[\p{Cc}]/u.test(text.replace(/\n/g, ''))) problems.push(`${lang}: control characters`);
    const { segments } = count(text);
    if (segments > BROADCAST_MAX_SEGMENTS)
      problems.push(`${lang}: ${segments} SMS segments, at most ${BROADCAST_MAX_SEGMENTS}`);
  }
  const audience = draft.audience;
  if (audience.kind === 'theme' && !(Number.isInteger(audience.theme) && audience.theme >= 1))
    problems.push('audience: bad theme');
  if (audience.kind === 'lang' && !langs.includes(audience.lang)) problems.push('audience: bad language');
  return problems;
}

/** Recipients, segments per language with their encoding, and the estimated SMS cost. */
export function planBroadcast(
  draft: BroadcastDraft,
  recipients: Array<Pick<Subscription, 'lang' | 'channel'>>,
  optedOut: number,
  count: SegmentCounter,
  costPerSegment: number,
  langs: readonly Lang[] = languageCodes(),
): DryRun {
  const languages = langs.map((lang): LanguagePlan => {
    const text = textFor(draft, lang);
    const mine = recipients.filter((r) => r.lang === lang);
    const smsRecipients = mine.filter((r) => r.channel === ('sms' satisfies SubscriptionChannel)).length;
    const { segments, encoding } = text ? count(text) : { segments: 0, encoding: 'GSM-7' as const };
    return {
      lang,
      text,
      fallback: !draft.messages[lang]?.trim(),
      recipients: mine.length,
      smsRecipients,
      segments,
      encoding,
      characters: [...text].length,
    };
  });
  const smsSegments = languages.reduce((sum, l) => sum + l.smsRecipients * l.segments, 0);
  return {
    recipients: recipients.length,
    optedOut,
    languages,
    smsSegments,
    estimatedCost: Math.round(smsSegments * costPerSegment * 100) / 100,
    problems: draftProblems(draft, count, langs),
  };
}

/** Outcomes per recipient, each counted once in the tally. */
export const FINAL_STATES = [
  'sent',
  'failed',
  'skipped_optout',
  'skipped_unsubscribed',
  'uncertain',
] as const;
export type FinalState = (typeof FINAL_STATES)[number];

export interface BroadcastProgress {
  id: string;
  total: number;
  sent: number;
  failed: number;
  skippedOptOut: number;
  skippedUnsubscribed: number;
  /** A non-idempotent send interrupted by a crash: maybe delivered, never sent again. */
  uncertain: number;
  pending: number;
  done: boolean;
  createdAt: string;
}

/**
 * What a gateway said about one recipient. `retry`: nothing went out, try again; `retryAfterMs`:
 * the gateway said how long to wait (Telegram's `retry_after`, an HTTP `Retry-After`): every
 * worker of that gateway waits that long before its next request.
 */
export type SendOutcome =
  { status: 'sent' } | { status: 'failed'; retry: boolean; retryAfterMs?: number; detail?: string };

export interface BroadcastRecipient {
  /** The address in clear (opened from its seal just before the call); never logged. */
  to: string;
  pseudonym: string;
  /** Idempotency key: `<broadcast id>.<pseudonym>`. */
  key: string;
}

/**
 * Delivers one broadcast message on one channel. `to` is the address in clear (opened from
 * its seal just before the call); a sender never logs it. `idempotent`: the sender passes
 * `key` to a gateway that drops a second message with the same key, so resending after a
 * crash is safe; without it, a send interrupted by a crash is never repeated (counted
 * `uncertain`): a duplicate news message is the worse error on this subject. `sendMany`, where
 * the gateway takes several recipients of one text in one request (Africa's Talking's `to`),
 * answers one outcome per recipient, in order.
 */
export interface BroadcastSender {
  readonly idempotent: boolean;
  send(
    to: string,
    text: string,
    channel: SubscriptionChannel,
    key: string,
    pseudonym?: string,
  ): Promise<SendOutcome>;
  sendMany?(
    recipients: BroadcastRecipient[],
    text: string,
    channel: SubscriptionChannel,
  ): Promise<SendOutcome[]>;
}
