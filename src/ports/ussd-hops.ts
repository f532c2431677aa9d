import type { RateDecision } from './rate.js';

/**
 * A USSD hop's stored state, in at most one round trip that the hop waits on (`open`) and one
 * that nothing waits on (`save`). Every key but the session id's owner is under the person's
 * hash tag (src/ports/keys.ts), so Redis reads them in one script on one Cluster slot
 * (adapters/stores/ussd-hops.ts); the memory implementation runs the same steps over the
 * session store.
 */
export interface UssdHopRead {
  pseudonym: string;
  sessionId: string;
  /** Count this hop against the person's budget (the gateway left it to this read, see mount.ts). */
  budget?: string;
  /**
   * The hop goes on with a session (not a first hop): when the person's key holds none, the session
   * id's owner key is read too (a session stored by the first layout is found there, once).
   */
  continuing: boolean;
}

/** The store could not be reached; the budget, when asked, was decided in this process's memory. */
export interface UssdHopUnreachable {
  reached: false;
  budget?: RateDecision;
}

export interface UssdHopOpened {
  reached: true;
  /** The budget's decision, when the hop was counted. Over the budget nothing but `lang` is read. */
  budget?: RateDecision;
  /** The raw session under the person's key, else what the owner key held (a continuing hop). */
  session: unknown;
  /** True when `session` came from the owner key (another phone's id, or the first layout's record). */
  fromOwnerKey: boolean;
  /**
   * True when `last` and `lang` were read: on a first hop, or when the person's key held no
   * session. A continuing hop that found its session reads nothing more (its state has the language).
   */
  personRead: boolean;
  /** Where the person's last session was. */
  last: unknown;
  /** The person's language (read over the budget too, for the notice). */
  lang: unknown;
}

interface Stored {
  value: unknown;
  ttlSeconds: number;
}

export interface UssdHopWrite {
  pseudonym: string;
  sessionId: string;
  session: Stored;
  /** Where the person is now (for a resume after a drop); absent when resume is off. */
  last?: Stored;
  /** A language chosen on this hop. */
  lang?: Stored;
  /** A session's first hop (or one moved from the first layout): the id's owner key is written. */
  owner?: Stored;
}

export interface UssdHopStore {
  open(read: UssdHopRead): Promise<UssdHopOpened | UssdHopUnreachable>;
  /** Rejects when the store cannot be reached; the hop has already answered by then. */
  save(write: UssdHopWrite): Promise<void>;
}
