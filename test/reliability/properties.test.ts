import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countSegments } from '../../adapters/sms/segments.js';
import { gsm7Length, isGsm7 } from '../../src/text/gsm7.js';
import type { RunningService } from '../support/service.js';
import { FORM, form, Harness, SECRETS } from '../support/reliability.js';

/**
 * Property-based: whatever a person types, in whatever order, every USSD answer is a valid
 * screen (200, CON/END, GSM-7, within USSD_MAX_CHARS) and every SMS reply is GSM-7 within
 * SMS_MAX_SEGMENTS. Inputs mix what people type (menu digits, navigation keys, numbers like
 * 215 or 2.15, words, keywords) with what they should not (long strings, symbols, emoji,
 * control characters, other scripts).
 */
const h = new Harness();
let s: RunningService;
const token = SECRETS.WEBHOOK_TOKEN;
const MAX_CHARS = 160;
const MAX_SEGMENTS = 2;

const menuInput = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '00', '98') },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 999 }).map(String) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('215', '2.15', '480', '5.68', '999', 'eau', 'route kidal', 'femmes'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', ' ', '#', '**', 'é', '😀', '\u0000', 'ߒߞߏ', 'مرحبا', '9'.repeat(40)),
  },
);

const smsText = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'AIDE',
      'THEMES',
      'T2',
      't9',
      '2.15',
      '215',
      '4.80',
      'SUITE',
      'suite',
      'INFO',
      'FR',
      'EN',
      'START',
      'eau',
      'route kidal',
      'femmes jeunes',
      'sécurité',
      'éducation',
      '0',
      '9.99',
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 160 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '   ', '😀😀', 'x'.repeat(700), 'ߒߞߏ', '«eau»', '\u0000\u0007'),
  },
);

beforeAll(async () => {
  s = await h.start({ WEBHOOK_TOKEN: token, PHONE_HASH_KEY: SECRETS.PHONE_HASH_KEY });
});

afterAll(async () => {
  const leaks = await h.finish('properties');
  expect(leaks).toEqual([]);
});

function checkScreen(status: number, body: string, contentType: string | null): string | undefined {
  if (status !== 200) return `status ${status}`;
  if (!contentType?.startsWith('text/plain')) return `content type ${contentType}`;
  const match = /^(CON|END) ([\s\S]*)$/.exec(body);
  if (!match) return 'no CON/END prefix';
  const screen = match[2]!;
  if (screen.trim() === '') return 'empty screen';
  if (!isGsm7(screen)) return 'not GSM-7';
  if (gsm7Length(screen) > MAX_CHARS) return `${gsm7Length(screen)} septets`;
  return undefined;
}

let sessions = 0;
describe('USSD: random input sequences', () => {
  it('when random inputs are typed in random order (Africa’s Talking, full history), then every answer is a valid screen within the limit', async () => {
    let phoneNumber = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(menuInput, { minLength: 1, maxLength: 10 }), async (inputs) => {
        const sessionId = `ATUid_prop_${++sessions}`;
        const phone = h.phone(600 + (phoneNumber++ % 20));
        const typed: string[] = [];
        for (let hop = 0; hop <= inputs.length; hop++) {
          if (hop > 0) typed.push(inputs[hop - 1]!);
          const response = await h.fetch(`${s.baseUrl}/ussd/${token}`, {
            method: 'POST',
            headers: FORM,
            body: form({
              sessionId,
              serviceCode: '*384*12#',
              phoneNumber: phone,
              networkCode: '99999',
              text: typed.join('*'),
            }),
          });
          const body = await response.text();
          const problem = checkScreen(response.status, body, response.headers.get('content-type'));
          // A history longer than the gateway allows is refused cleanly; anything else must be a screen.
          if (problem && !(response.status === 400 && body.startsWith('END '))) {
            throw new Error(`${problem} after ${JSON.stringify(typed)}: ${body.slice(0, 80)}`);
          }
          if (body.startsWith('END ')) break;
        }
      }),
      { numRuns: 150, seed: Number(process.env.FC_SEED ?? 20260510) },
    );
  }, 120_000);

  it('when random inputs arrive one at a time (latest-input dialect), then every answer is a valid screen within the limit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(menuInput, { minLength: 1, maxLength: 8 }), async (inputs) => {
        const SessionId = `hubprop${++sessions}`;
        const Mobile = h.phone(650).slice(1);
        const hops = [
          { Type: 'Initiation', Message: '*713#' },
          ...inputs.map((Message) => ({ Type: 'Response', Message })),
        ];
        for (const hop of hops) {
          const response = await h.fetch(`${s.baseUrl}/ussd/${token}/hubtel`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ ...hop, SessionId, Mobile, ServiceCode: '713', Operator: 'orange' }),
          });
          if (response.status !== 200)
            throw new Error(`status ${response.status} after ${JSON.stringify(hop)}`);
          const answer = (await response.json()) as { Type: string; Message: string };
          if (
            !isGsm7(answer.Message) ||
            gsm7Length(answer.Message) > MAX_CHARS ||
            answer.Message.trim() === ''
          )
            throw new Error(`bad screen after ${JSON.stringify(hop)}: ${answer.Message.slice(0, 80)}`);
          if (answer.Type === 'release') break;
        }
      }),
      { numRuns: 100, seed: Number(process.env.FC_SEED ?? 20260510) },
    );
  }, 120_000);
});

describe('SMS: random messages', () => {
  it('when random texts arrive from a few phones, then each gets at most one reply, GSM-7, within the segment budget', async () => {
    let id = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(smsText, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 9 }),
        async (texts, who) => {
          const phone = h.phone(700 + who);
          const pseudonym = s.service.pseudonymize(phone);
          const lastId = () =>
            Number(s.service.sms.outbox!.list().at(-1)?.messageId.replace('outbox-', '') ?? 0);
          for (const text of texts) {
            h.text(text); // long texts are searched for in the logs
            await s.service.sms.flush();
            const before = lastId();
            const response = await h.fetch(`${s.baseUrl}/sms/${token}`, {
              method: 'POST',
              headers: FORM,
              body: form({ from: phone, to: '36000', text, id: `prop-${++id}`, date: '2026-11-28' }),
            });
            if (response.status !== 200)
              throw new Error(`status ${response.status} for ${JSON.stringify(text)}`);
            await s.service.sms.flush();
            const sent = lastId() - before;
            if (sent > 1) throw new Error(`${sent} replies to ${JSON.stringify(text)}`);
            const replies = sent === 1 ? s.service.sms.outbox!.list().slice(-1) : [];
            for (const reply of replies) {
              if (reply.to !== pseudonym) throw new Error('a reply went to someone else');
              const { segments, encoding } = countSegments(reply.text);
              if (encoding !== 'GSM-7' || segments > MAX_SEGMENTS || reply.text.trim() === '')
                throw new Error(`reply to ${JSON.stringify(text)}: ${encoding}, ${segments} segments`);
            }
          }
          // Leave the person opted in for the next run.
          await h.fetch(`${s.baseUrl}/sms/${token}`, {
            method: 'POST',
            headers: FORM,
            body: form({ from: phone, to: '36000', text: 'START', id: `prop-${++id}`, date: '2026-11-28' }),
          });
        },
      ),
      { numRuns: 120, seed: Number(process.env.FC_SEED ?? 20260510) },
    );
  }, 120_000);
});
