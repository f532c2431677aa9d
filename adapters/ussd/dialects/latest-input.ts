import type { NeutralHop, NeutralScreen } from '../types.js';
import { isPhone, type Parsed } from './africastalking.js';

/**
 * A latest-input gateway, modelled on Hubtel's Programmable Services API (Ghana): one JSON
 * POST per hop carrying only what the person just typed.
 *
 *   request  { Type: "Initiation" | "Response" | "Release" | "Timeout", SessionId, Mobile,
 *              ServiceCode, Message, Operator, Sequence, ClientState }
 *   response { SessionId, Type: "response" | "release", Message, Label, DataType, FieldType }
 *
 * On "Initiation" the Message is the dial string (`*713*3*215#`): the parts after the service
 * code are inputs, as Africa's Talking would send them. Field names are read case-insensitively
 * (Hubtel's own examples mix `ServiceCode` and `serviceCode`).
 */

const MAX_MESSAGE_LENGTH = 182;

export type LatestInputRequest =
  { kind: 'hop'; hop: NeutralHop } | { kind: 'ended'; sessionId: string; phone: string; normal: boolean };

function fields(body: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!body || typeof body !== 'object' || Array.isArray(body)) return out;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') out.set(name.toLowerCase(), value);
    else if (typeof value === 'number') out.set(name.toLowerCase(), String(value));
  }
  return out;
}

/** `*713*3*215#` with service code `713` (or `*713#`) → ["3", "215"]. */
export function dialExtras(message: string, serviceCode: string): string[] {
  const trimmed = message.trim();
  if (!trimmed.startsWith('*')) return [];
  const parts = trimmed
    .replace(/^\*+|(?<!#)#+$/g, '')
    .split('*')
    .filter((part) => part !== '');
  const code = serviceCode
    .replace(/^\*+|(?<!#)#+$/g, '')
    .split('*')
    .filter((part) => part !== '');
  const startsWithCode = code.length > 0 && code.every((part, i) => parts[i] === part);
  return startsWithCode ? parts.slice(code.length) : parts.slice(1);
}

export function parseRequest(body: unknown): Parsed<LatestInputRequest> {
  const f = fields(body);
  const type = f.get('type')?.toLowerCase();
  const sessionId = f.get('sessionid');
  const phone = f.get('mobile');
  const message = f.get('message') ?? '';
  if (!type || !sessionId || !/^[\w.:-]{1,128}$/.test(sessionId) || !isPhone(phone)) {
    return { ok: false, problem: 'missing' };
  }
  if (message.length > MAX_MESSAGE_LENGTH) return { ok: false, problem: 'tooLong' };
  switch (type) {
    case 'initiation':
      return {
        ok: true,
        value: {
          kind: 'hop',
          hop: { sessionId, phone, isNew: true, inputs: dialExtras(message, f.get('servicecode') ?? '') },
        },
      };
    case 'response':
      return { ok: true, value: { kind: 'hop', hop: { sessionId, phone, isNew: false, inputs: [message] } } };
    case 'release':
    case 'timeout':
      // Hung up or timed out before our END: like Africa's Talking's "Incomplete", a drop
      // (a session that reached our END is already recorded as ended normally).
      return { ok: true, value: { kind: 'ended', sessionId, phone, normal: false } };
    default:
      return { ok: false, problem: 'missing' };
  }
}

export interface LatestInputResponse {
  SessionId: string;
  Type: 'response' | 'release';
  Message: string;
  Label: string;
  DataType: 'input' | 'display';
  FieldType: 'text';
}

export function renderResponse(sessionId: string, screen: NeutralScreen): LatestInputResponse {
  return {
    SessionId: sessionId,
    Type: screen.end ? 'release' : 'response',
    Message: screen.text,
    Label: screen.text.split('\n')[0] ?? '',
    DataType: screen.end ? 'display' : 'input',
    FieldType: 'text',
  };
}
