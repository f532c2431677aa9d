import { createHash } from 'node:crypto';

/**
 * Every key the service writes to its store, built here and nowhere else. The store adds its
 * own prefix (REDIS_KEY_PREFIX, default `dim:`).
 *
 * The Cluster rule: Redis Cluster hashes only the first non-empty `{...}` of a key. Every key
 * that belongs to one person carries that person's pseudonym as its hash tag,
 * `<scope>:{<pseudonym>}:<name>`, so one person's keys share one slot and a multi-key step over
 * them (MULTI, a script) is allowed. Keys that belong to no person (a delivery id, a USSD
 * session id) carry no tag and spread over the slots. No key holds a message's text or a number
 * in clear.
 */

/** A person's key: `<scope>:{<pseudonym>}:<name>`. */
export function personKey(scope: string, pseudonym: string, name: string): string {
  if (/[{}]/.test(pseudonym)) throw new RangeError('a pseudonym must hold no brace');
  return `${scope}:{${pseudonym}}:${name}`;
}

/** An outside id (a gateway's message id) as a key part: kept when tame, hashed otherwise. */
function idPart(id: string): string {
  return /^[\w.:-]{1,128}$/.test(id) ? id : createHash('sha256').update(id).digest('base64url');
}

export const storeKeys = {
  /** The language a person chose on any channel (USSD, SMS, ...). */
  languagePreference: (pseudonym: string) => personKey('pref', pseudonym, 'lang'),
  /** The pages of a text channel's last answer and the one last sent ("sms" keeps its name). */
  pages: (channel: string, pseudonym: string) => personKey(channel, pseudonym, 'pages'),
  /** A STOP confirmation went out this minute (two STOPs at once confirm once). */
  stopConfirmed: (channel: string, pseudonym: string) => personKey(channel, pseudonym, 'stopped'),
  /** The "too many requests" notice went out in this window (sent once per window). */
  limitedNotice: (channel: string, pseudonym: string) => personKey(channel, pseudonym, 'limited'),
  /**
   * What was just said to a person on the text channels (src/conversation/context.ts: the language,
   * the recommendation last opened, the last list's ids), beside `languagePreference` in its slot.
   */
  conversation: (pseudonym: string) => personKey('talk', pseudonym, 'state'),
  /** What a person's last search showed (normalised words, result ids), for a "wrong answer" report. */
  lastSearch: (channel: string, pseudonym: string) => personKey(channel, pseudonym, 'searched'),
  /** One delivery of one message by one gateway: seen (dedupe). */
  delivery: (channel: string, gateway: string, messageId: string) =>
    `${channel}:msg:${gateway}:${idPart(messageId)}`,
  /**
   * One delivery of one message, under its sender's hash tag: the text turn's one script claims
   * it with the person's reads (src/conversation/turn-state.ts).
   */
  personDelivery: (channel: string, pseudonym: string, gateway: string, messageId: string) =>
    personKey(channel, pseudonym, `msg:${gateway}:${idPart(messageId)}`),
  /** One Telegram update: seen (dedupe). */
  telegramUpdate: (updateId: number) => `tg:upd:${updateId}`,
  /** One Telegram user's grammY session (their private chat's pseudonym: a private chat's id is the user's). */
  telegramSession: (userPseudonym: string) => personKey('tg', userPseudonym, 'session'),
  /**
   * A tap already handled: one user, one message, one button, for a few seconds (a double tap is
   * answered once, whichever instance gets it). `tap` digests the chat's pseudonym, the message
   * and the button, so no id is kept in clear.
   */
  telegramTap: (userPseudonym: string, tap: string) => personKey('tg', userPseudonym, `tap:${idPart(tap)}`),
  /** A reaction (👍 / 🤔) counted: once per user and recommendation. */
  telegramReaction: (userPseudonym: string, recId: string) =>
    personKey('tg', userPseudonym, `fb:${idPart(recId)}`),
  /** An edited message already answered: `edit` digests the chat's pseudonym, the message and the edit's date. */
  telegramEdit: (userPseudonym: string, edit: string) =>
    personKey('tg', userPseudonym, `edit:${idPart(edit)}`),
  /**
   * One USSD session, under its owner's hash tag: the hop's one script reads it with the budget,
   * the last session and the language, all in one Cluster slot.
   */
  ussdSession: (pseudonym: string, sessionId: string) =>
    personKey('ussd', pseudonym, `s:${idPart(sessionId)}`),
  /**
   * A USSD session id's owner (`{ owner }`), written on a session's first hop: a session id shown by
   * another phone is refused. The first layout kept the whole session here (no tag); such a record
   * is read once and moved under `ussdSession`.
   */
  ussdSessionOwner: (sessionId: string) => `ussd:s:${sessionId}`,
  /** One voice call, by the gateway's session id (owner pseudonym inside, never the number). */
  voiceSession: (sessionId: string) => `voice:s:${idPart(sessionId)}`,
  /** Where a person's last USSD session was. */
  ussdLast: (pseudonym: string) => personKey('ussd', pseudonym, 'last'),
  /** A per-person budget: `phone` (USSD and SMS share it) or `tg` (a Telegram user). */
  personBudget: (kind: 'phone' | 'tg', pseudonym: string) => `${kind}:{${pseudonym}}`,
  /** The Telegram budget of taps that only read (open, page, ◀ ▶) of one user. */
  readingBudget: (pseudonym: string) => `tgread:{${pseudonym}}`,
  /** The API's budget of one client address (a keyed hash of it). */
  addressBudget: (addressHash: string) => `api:{${addressHash}}`,
  /** WhatsApp: when the person's 24-hour customer-service window closes. */
  whatsappWindow: (pseudonym: string) => personKey('wa', pseudonym, 'window'),
  /** WhatsApp: what a typed "next", "previous" or "back" follows (a theme's list page, the card last read). */
  whatsappCursor: (pseudonym: string) => personKey('wa', pseudonym, 'cursor'),
  /** One of a person's call backs of a (UTC) day, n = 1..VOICE_CALLBACK_PER_DAY; kept until the day ends. */
  callback: (pseudonym: string, day: string, n: number) => personKey('cb', pseudonym, `${day}:${n}`),
  /** What a person caused today (SMS segments, calls), against their daily cap; until the day ends. */
  spend: (kind: string, pseudonym: string, day: string) => personKey('spend', pseudonym, `${day}:${kind}`),
  /** What the whole service spent today (SMS segments, calls), against its daily cap. */
  serviceSpend: (kind: string, day: string) => `spend:{service}:${day}:${kind}`,
  /** One item sent by SMS to one person today (no second copy the same day). */
  sentToday: (pseudonym: string, day: string, item: string) =>
    personKey('sent', pseudonym, `${day}:${idPart(item)}`),
  /** A fingerprint of a key every instance must share (PHONE_HASH_KEY, SUBSCRIBERS_KEY): no person's. */
  keyFingerprint: (name: string) => `keys:fingerprint:${name}`,
  /** The opt-out set (Redis registry). */
  optOuts: (channel: string) => `${channel}:optout`,
} as const;
