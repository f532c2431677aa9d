import { field, type BodyKind, type GatewayAnswer } from '../../gateway/contract.js';
import type { NeutralHop, NeutralScreen } from '../types.js';
import * as at from './africastalking.js';
import * as latest from './latest-input.js';

/**
 * The USSD gateway dialects as a table, one entry per dialect (in the manner of grammY's
 * framework adapters, `convenience/frameworks.ts`): where it posts, in which content type, how
 * its body becomes a neutral request, how a screen goes back, which field names the person and
 * how it is told "no". The gateway handler (router.ts) is built from this table, and the one runner
 * serves every entry: adding a dialect (say, another aggregator's JSON) is one more entry and
 * its parse/render file.
 */

type UssdRequest =
  | { kind: 'hop'; hop: NeutralHop }
  /** The gateway's notice that a session is over; `normal` false: it dropped. */
  | { kind: 'ended'; sessionId: string; phone: string; normal: boolean };

type Parsed<T> = at.Parsed<T>;

/** What goes back to the gateway: a status and a body (text/plain when a string, else JSON). */
type DialectAnswer = GatewayAnswer;

export interface UssdDialect {
  name: string;
  /** Under the USSD mount (`/ussd`, or `/ussd/<token>`). */
  path: string;
  /** The body it posts; the runner refuses another in the dialect (400). */
  accepts: BodyKind;
  /** The person's phone in a parsed body, for the per-person budget; undefined when the request is not a person's hop. */
  phone(body: unknown): string | undefined;
  parse(body: unknown): Parsed<UssdRequest>;
  /** The 200 answer: a screen for a hop, an acknowledgement for an end-of-session notice. */
  render(body: unknown, screen: NeutralScreen): DialectAnswer;
  /** A 4xx in the dialect (malformed, wrong type, too large), with the "invalid request" screen. */
  refusal(body: unknown, status: number, screen: NeutralScreen): DialectAnswer;
}

export const USSD_DIALECTS: readonly UssdDialect[] = [
  {
    name: 'africastalking',
    path: '/',
    accepts: 'form',
    phone: (body) => field(body, 'phoneNumber'),
    parse: (body) => {
      const parsed = at.parseHop(body);
      return parsed.ok ? { ok: true, value: { kind: 'hop', hop: parsed.value } } : parsed;
    },
    render: (_body, screen) => ({ status: 200, body: at.renderScreen(screen) }),
    refusal: (_body, status, screen) => ({ status, body: at.renderScreen(screen) }),
  },
  {
    name: 'africastalking-events',
    path: '/events',
    accepts: 'form',
    // The gateway's notice, not a person's hop: outside the per-person budget.
    phone: () => undefined,
    parse: (body) => {
      const parsed = at.parseEvent(body);
      return parsed.ok ? { ok: true, value: { kind: 'ended', ...parsed.value } } : parsed;
    },
    render: () => ({ status: 200, body: 'OK' }),
    refusal: (_body, status) => ({ status, body: 'bad request' }),
  },
  {
    name: 'latest-input',
    path: '/hubtel',
    accepts: 'json',
    phone: (body) => {
      const type = field(body, 'Type')?.toLowerCase();
      return type === 'initiation' || type === 'response' ? field(body, 'Mobile') : undefined;
    },
    parse: (body) => {
      const parsed = latest.parseRequest(body);
      return parsed.ok ? { ok: true, value: parsed.value } : parsed;
    },
    render: (body, screen) => ({
      status: 200,
      body: latest.renderResponse(field(body, 'SessionId') ?? field(body, 'sessionId') ?? '', screen),
    }),
    refusal: (body, status, screen) => ({
      status,
      body: latest.renderResponse(field(body, 'SessionId') ?? '', screen),
    }),
  },
];

const byPath = new Map(USSD_DIALECTS.map((dialect) => [dialect.path, dialect]));

/**
 * The dialect that owns a path under the USSD mount (Africa's Talking for anything else, as the
 * one at the mount's root). One map lookup from the table, not a test per dialect.
 */
export function dialectAt(path: string): UssdDialect {
  return byPath.get(path) ?? byPath.get(path.replace(/(?<!\/)\/+$/, '') || '/') ?? USSD_DIALECTS[0]!;
}
