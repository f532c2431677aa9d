import { randomUUID } from 'node:crypto';
import type { Lang } from '../../src/core/types.js';
import { t } from '../../src/i18n/index.js';
import { toAscii, toGsm7 } from '../../src/text/gsm7.js';

/** Talks to POST /ussd as Africa's Talking does: a form per hop, `text` = all inputs joined by `*`. */
export interface AtAnswer {
  status: number;
  body: string;
  contentType: string | null;
  end: boolean;
  /** The screen without the CON/END prefix. */
  screen: string;
  lines: string[];
  ms: number;
}

let phoneCounter = 0;
/** A fresh Malian-looking number per call, so sessions never share a language or a resume offer. */
export function freshPhone(): string {
  phoneCounter += 1;
  return `+2237${String(process.pid % 1000).padStart(3, '0')}${String(phoneCounter).padStart(4, '0')}`;
}

export function newSessionId(): string {
  return `ATUid_${randomUUID().replace(/-/g, '')}`;
}

export async function atPost(
  baseUrl: string,
  fields: Record<string, string>,
  path = '/ussd',
): Promise<AtAnswer> {
  const started = performance.now();
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  const body = await res.text();
  const ms = performance.now() - started;
  const end = body.startsWith('END ');
  const screen = body.replace(/^(CON|END) /, '');
  return {
    status: res.status,
    body,
    contentType: res.headers.get('content-type'),
    end,
    screen,
    lines: screen.split('\n'),
    ms,
  };
}

export function atHop(
  baseUrl: string,
  hop: { sessionId: string; phone: string; text: string },
): Promise<AtAnswer> {
  return atPost(baseUrl, {
    sessionId: hop.sessionId,
    serviceCode: '*384*123#',
    phoneNumber: hop.phone,
    networkCode: '61001',
    text: hop.text,
  });
}

/** One person's session: `dial()` then `type('1')`, `type('2')` ... with AT's growing history. */
export class AtSession {
  readonly inputs: string[] = [];
  constructor(
    private readonly baseUrl: string,
    readonly phone: string = freshPhone(),
    readonly sessionId: string = newSessionId(),
  ) {}

  /** The first hop; `extras` are the dial string's extra parts (`*384*123*3*215#` → ['3', '215']). */
  dial(...extras: string[]): Promise<AtAnswer> {
    this.inputs.push(...extras);
    return this.send();
  }

  type(input: string): Promise<AtAnswer> {
    this.inputs.push(input);
    return this.send();
  }

  send(baseUrl = this.baseUrl): Promise<AtAnswer> {
    return atHop(baseUrl, { sessionId: this.sessionId, phone: this.phone, text: this.inputs.join('*') });
  }

  /** Africa's Talking's end-of-session notification for this session. */
  async ended(status: 'Success' | 'Incomplete' | 'Failed'): Promise<number> {
    const answer = await atPost(
      this.baseUrl,
      {
        sessionId: this.sessionId,
        serviceCode: '*384*123#',
        networkCode: '61001',
        phoneNumber: this.phone,
        status,
        cost: 'KES 0.00',
        durationInMillis: '12000',
        hopsCount: String(this.inputs.length + 1),
        input: this.inputs.at(-1) ?? '',
        lastAppResponse: 'CON ...',
        errorMessage: '',
        date: '2026-11-28 23:00:00',
      },
      '/ussd/events',
    );
    return answer.status;
  }
}

export function encoder(alphabet: 'gsm' | 'ascii'): (text: string) => string {
  return alphabet === 'ascii' ? toAscii : toGsm7;
}

/** The navigation lines a screen ends with, as the catalog writes them (default keys). */
export function navLines(lang: Lang, alphabet: 'gsm' | 'ascii' = 'gsm') {
  const enc = encoder(alphabet);
  return {
    more: enc(`98 ${t(lang, 'ussd.nav.more')}`),
    sms: enc(`9 ${t(lang, 'ussd.nav.sms')}`),
    feedback: enc(`8 ${t(lang, 'ussd.nav.feedback')}`),
    backHome: enc(`0 ${t(lang, 'ussd.nav.back')} 00 ${t(lang, 'ussd.nav.home')}`),
    invalid: enc(t(lang, 'ussd.hint.invalid')),
  };
}

/** "Rec. 2.15 (1/3)" → { id: '2.15', page: 1, pages: 3 }. */
export function recHeader(line: string | undefined): { id: string; page: number; pages: number } | undefined {
  // A word-for-word repeat names its twin: "Rec. 4.11 = 4.57 (1/2)".
  const m = /^Rec\. (\d\.\d{1,2})(?: = \d\.\d{1,2})? \((\d+)\/(\d+)\)$/.exec(line ?? '');
  // One page: "Recommandation 2.15" (or "Recommendation 2.15"), no counter.
  const one = /^Recomm[ae]ndation (\d\.\d{1,2})(?: = \d\.\d{1,2})?$/.exec(line ?? '');
  if (!m && one) return { id: one[1]!, page: 1, pages: 1 };
  return m ? { id: m[1]!, page: Number(m[2]), pages: Number(m[3]) } : undefined;
}

/** The text lines of a recommendation screen: between its header and its navigation lines. */
export function recBody(lines: string[], lang: Lang, alphabet: 'gsm' | 'ascii' = 'gsm'): string {
  const nav = navLines(lang, alphabet);
  const body = lines.slice(1);
  while (body.length > 0 && [nav.more, nav.sms, nav.feedback, nav.backHome].includes(body.at(-1)!))
    body.pop();
  return body.join('\n');
}

export const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
