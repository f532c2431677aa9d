import { isGatewayPhone } from '../../../src/privacy/phone.js';
import { field } from '../../gateway/contract.js';
import type { NeutralHop, NeutralScreen } from '../types.js';

/**
 * Africa's Talking USSD: a form POST per hop whose `text` is every input of the session so
 * far joined by `*` ("" on the first hop; a dial string's extra parts arrive as if typed).
 * The answer is 200 text/plain starting with `CON ` (wait for input) or `END ` (close).
 * Its end-of-session notification is a separate form POST with a `status`.
 */

/** A real screen input is at most 182 characters; a whole session's history stays far below this. */
const MAX_TEXT_LENGTH = 1000;
const MAX_INPUTS = 100;

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: 'missing' | 'tooLong' };

const SESSION_ID = /^[\w.:-]{1,128}$/;

/** The one phone rule of the gateways (src/privacy/phone.ts). */
export const isPhone = isGatewayPhone;

export function parseHop(body: unknown): Parsed<NeutralHop> {
  const sessionId = field(body, 'sessionId');
  const phone = field(body, 'phoneNumber');
  const text = field(body, 'text');
  if (!sessionId || !SESSION_ID.test(sessionId) || !isPhone(phone) || text === undefined) {
    return { ok: false, problem: 'missing' };
  }
  if (text.length > MAX_TEXT_LENGTH) return { ok: false, problem: 'tooLong' };
  const history = text === '' ? [] : text.split('*');
  if (history.length > MAX_INPUTS) return { ok: false, problem: 'tooLong' };
  return { ok: true, value: { sessionId, phone, history } };
}

export interface SessionEvent {
  sessionId: string;
  phone: string;
  /** Success: the session reached our END. Incomplete/Failed: it dropped. */
  normal: boolean;
}

export function parseEvent(body: unknown): Parsed<SessionEvent> {
  const sessionId = field(body, 'sessionId');
  const phone = field(body, 'phoneNumber');
  const status = field(body, 'status');
  if (!sessionId || !SESSION_ID.test(sessionId) || !isPhone(phone) || !status) {
    return { ok: false, problem: 'missing' };
  }
  return { ok: true, value: { sessionId, phone, normal: status === 'Success' } };
}

export function renderScreen(screen: NeutralScreen): string {
  return `${screen.end ? 'END' : 'CON'} ${screen.text}`;
}
