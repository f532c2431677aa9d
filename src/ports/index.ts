import type { Lang } from '../core/refs.js';
import type { BudgetWindow } from './rate.js';

/** The ports through which the core meets the world. Adapters implement them. */

/** Key-value state with expiry: USSD/SMS/Telegram sessions, dedupe marks, preferences. */
export interface SessionStore {
  get<T>(key: string): Promise<T | undefined>;
  /** ttlSeconds is required: nothing about a person is kept forever. */
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Sets only when absent; true when this call set it (dedupe of deliveries). */
  setIfAbsent<T>(key: string, value: T, ttlSeconds: number): Promise<boolean>;
  /**
   * Several keys in one round trip (Redis: MGET), in order; undefined for an absent one. Keys of
   * one person share a hash tag, so a Redis Cluster serves them from one slot. Optional: a
   * store without it is read key by key (`readMany` in src/conversation/memory.ts).
   */
  getMany?(keys: string[]): Promise<unknown[]>;
  /**
   * A text turn's reads in one round trip (issue 36): SET NX `claim` when given and, when it was
   * set (or none was asked), every key of `reads`; all keys of one person (one Cluster slot).
   * Optional: src/conversation/turn-state.ts does the steps one by one on a store without it.
   * `budget`: first counts a hit in that window in the same script (a Redis store only, with the
   * person limiter's window; `count` is then the window's count, and over its limit nothing is
   * claimed or read). A store that cannot count it ignores it (turn-state.ts never asks one).
   */
  claimAndRead?(
    claim: StoreWrite | undefined,
    reads: string[],
    budget?: BudgetWindow,
  ): Promise<{ claimed: boolean; values: unknown[]; count?: number }>;
  /** Several writes of one person in one command: a SET with its TTL, or a DEL without a value. */
  writeMany?(writes: StoreWrite[]): Promise<void>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One write of `SessionStore.writeMany`: a value and its TTL, or (no value) a delete. */
export interface StoreWrite {
  key: string;
  value?: unknown;
  ttlSeconds?: number;
}

/** A person's chosen language, shared by the channels that know the person by phone. */
export interface LanguagePreferences {
  /** The chosen language, or French. Throws when the store cannot be reached. */
  get(pseudonym: string): Promise<Lang>;
  set(pseudonym: string, lang: Lang): Promise<void>;
}

/** pino-compatible subset, so the core can log without knowing pino. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface OutgoingSms {
  /** The number in clear: only the sender sees it, never a store or a log. */
  to: string;
  text: string;
}

export interface SmsSendResult {
  status: 'sent' | 'refused';
  messageId?: string;
  detail?: string;
}

export interface SmsSender {
  send(message: OutgoingSms): Promise<SmsSendResult>;
}

/** One outgoing voice call to place; the number in clear is seen by the placer only. */
export interface OutgoingCall {
  to: string;
}

export interface CallPlaceResult {
  /** `queued`: the gateway took the call and will ring the person; `refused`: it will not. */
  status: 'queued' | 'refused';
  /** The gateway's id of the call (its voice callbacks carry it as `sessionId`). */
  callId?: string;
  /** Why it was refused, in the gateway's words with any number removed (for the log). */
  detail?: string;
}

/**
 * Places a voice call from the line's number to a person; when answered, the gateway's voice
 * callback (POST /voice) plays the line as for any call. Never retried by its users: a person
 * must not be rung twice for one request.
 */
export interface CallPlacer {
  call(call: OutgoingCall): Promise<CallPlaceResult>;
}

/** What operators watch. The Prometheus implementation lives in adapters; tests may count. */
export interface Metrics {
  /** A reply of the engine's `kind` rendered on a channel (ussd, sms, telegram, api). */
  replySent(channel: string, kind: string): void;
  searchWithoutResult(channel: string): void;
  smsSegmentsSent(count: number, encoding: 'GSM-7' | 'UCS-2'): void;
  rateLimited(channel: string): void;
  storeError(operation: string): void;
}

export const noMetrics: Metrics = {
  replySent: () => {},
  searchWithoutResult: () => {},
  smsSegmentsSent: () => {},
  rateLimited: () => {},
  storeError: () => {},
};

/**
 * Who said STOP, by pseudonym. Kept without expiry and durably (an opt-out must survive
 * restarts of the service and of its store); `add` resolves only once the write is durable.
 */
export interface OptOutRegistry {
  has(pseudonym: string): Promise<boolean>;
  add(pseudonym: string): Promise<void>;
  remove(pseudonym: string): Promise<void>;
  close(): Promise<void>;
}

export * from './analytics.js';
export * from './rate.js';
export * from './ussd-hops.js';
