import type { Prompt, VoiceRequest, VoiceTurn } from '../types.js';

/**
 * Africa's Talking Voice. Sources: their docs (voice/callhandler, voice/getdigits) and the SDK's
 * action builder (africastalking-node.js `src/products/voice/utils/actionBuilder.ts`;
 * `node_modules/africastalking/lib/actionbuilder.js` in the installed 0.8 release).
 *
 * Request: a form POST per step of the call with `isActive` (1 during the call, 0 on the final
 * request), `sessionId`, `direction`, `callerNumber`, `destinationNumber` (E.164 with +),
 * `dtmfDigits` after a GetDigits, `recordingUrl` after a Record; the final request adds
 * `durationInSeconds`, `currencyCode`, `amount`.
 *
 * Answer: `<?xml …?><Response>…</Response>` of actions run in order. What this dialect uses:
 * - `<Play url="https://…"/>`; `<Say voice="woman">text</Say>` (English text-to-speech);
 * - `<GetDigits numDigits timeout finishOnKey callbackUrl>` with exactly ONE `Say` or `Play`
 *   child (the SDK's schema: `xor('say', 'play')`). Without a key it moves on to the next
 *   element and sends no request: what follows it is the no-key path;
 * - `<Redirect>https://…</Redirect>`, `<Reject/>`. There is no Hangup element: the call ends
 *   when the actions run out.
 * The SDK escapes nothing (text goes into the XML as is): this renderer escapes every text and
 * attribute value.
 */

export const CONTENT_TYPE = 'application/xml; charset=utf-8';

/** The elements and attributes this dialect may emit (tests check every answer against it). */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  Response: [],
  Say: ['voice', 'playBeep'],
  Play: ['url'],
  GetDigits: ['numDigits', 'timeout', 'finishOnKey', 'callbackUrl'],
  Redirect: [],
  Reject: [],
};

/** Only one Say or Play may be nested in a GetDigits. */
export const PROMPTS_PER_DIGITS = 1;

const SESSION_ID = /^[\w.:-]{1,128}$/;
const MAX_DIGITS = 32;

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

function field(body: unknown, name: string): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function isPhone(value: string | undefined): value is string {
  if (!value || value.length > 32) return false;
  return /^\+?\d{6,20}$/.test(value.replace(/[\s()-]/g, ''));
}

/** A figure the gateway reports, within what a call can be (else it is not believed). */
function number(value: string | undefined, max: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 && n <= max ? n : undefined;
}
/** No call lasts more than a day; none costs more than this in any currency Africa's Talking bills. */
const MAX_CALL_SECONDS = 86_400;
const MAX_CALL_AMOUNT = 1_000_000;

export function parseRequest(body: unknown): Parsed<VoiceRequest> {
  const isActive = field(body, 'isActive');
  const sessionId = field(body, 'sessionId');
  const caller = field(body, 'callerNumber');
  if (!sessionId || !SESSION_ID.test(sessionId)) return { ok: false, problem: 'sessionId' };
  if (!isPhone(caller)) return { ok: false, problem: 'callerNumber' };
  if (isActive === '0') {
    const currency = field(body, 'currencyCode');
    return {
      ok: true,
      value: {
        kind: 'ended',
        sessionId,
        caller,
        durationSeconds: number(field(body, 'durationInSeconds'), MAX_CALL_SECONDS),
        amount: number(field(body, 'amount'), MAX_CALL_AMOUNT),
        currency: currency && /^[A-Z]{3}$/.test(currency) ? currency : undefined,
      },
    };
  }
  if (isActive !== '1') return { ok: false, problem: 'isActive' };
  const digits = field(body, 'dtmfDigits');
  if (digits !== undefined && (digits.length > MAX_DIGITS || !/^[0-9*#]*$/.test(digits))) {
    return { ok: false, problem: 'dtmfDigits' };
  }
  const destination = field(body, 'destinationNumber');
  const direction = field(body, 'direction')?.toLowerCase();
  const recordingUrl = field(body, 'recordingUrl');
  return {
    ok: true,
    value: {
      kind: 'active',
      sessionId,
      caller,
      destination: isPhone(destination) ? destination : undefined,
      direction: direction === 'inbound' || direction === 'outbound' ? direction : undefined,
      digits: digits === undefined || digits === '' ? undefined : digits,
      recordingUrl: recordingUrl && URL.canParse(recordingUrl) ? recordingUrl : undefined,
    },
  };
}

export function escapeXml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // XML 1.0 forbids most control characters even escaped: dropped.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

/** One element per prompt outside GetDigits; Say gets the woman's voice. */
function promptXml(prompt: Prompt): string {
  if (prompt.kind === 'say') return `<Say voice="woman">${escapeXml(prompt.text)}</Say>`;
  return prompt.urls.map((url) => `<Play url="${escapeXml(url)}"/>`).join('');
}

/** Inside GetDigits: exactly one Say or Play, so an audio prompt must be one URL already. */
function nestedPromptXml(prompt: Prompt): string {
  if (prompt.kind === 'audio' && prompt.urls.length !== 1) {
    throw new Error(`GetDigits takes one Play: join the ${prompt.urls.length} files into one URL first`);
  }
  return promptXml(prompt);
}

export function renderTurn(turn: VoiceTurn): string {
  const parts: string[] = turn.before.map(promptXml);
  if (turn.digits) {
    const d = turn.digits;
    const attributes = [
      d.numDigits !== undefined ? ` numDigits="${d.numDigits}"` : '',
      ` timeout="${Math.max(1, Math.round(d.timeoutSeconds))}"`,
      d.finishOnKey !== undefined ? ` finishOnKey="${escapeXml(d.finishOnKey)}"` : '',
      d.callbackUrl !== undefined ? ` callbackUrl="${escapeXml(d.callbackUrl)}"` : '',
    ].join('');
    const element = `<GetDigits${attributes}>${nestedPromptXml(d.prompt)}</GetDigits>`;
    // No callback comes when no key is pressed: the same request again, `repeat` times.
    for (let i = 0; i <= d.repeat; i++) parts.push(element);
  }
  parts.push(...turn.after.map(promptXml));
  if (turn.end.kind === 'redirect') parts.push(`<Redirect>${escapeXml(turn.end.url)}</Redirect>`);
  if (turn.end.kind === 'reject') parts.push('<Reject/>');
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${parts.join('')}</Response>`;
}
