import { describe, expect, it } from 'vitest';
import { escapeXml, parseRequest, renderTurn } from '../adapters/voice/dialects/africastalking.js';
import { dialects } from '../adapters/voice/dialects/index.js';
import type { VoiceTurn } from '../adapters/voice/types.js';
import { parseAtAnswer, playUrls } from './support/voice.js';

const call = {
  isActive: '1',
  sessionId: 'ATVId_5f2a',
  direction: 'Inbound',
  callerNumber: '+22376543210',
  destinationNumber: '+22320202020',
};

describe("Africa's Talking voice dialect: parsing the callback", () => {
  it('when the first request of a call arrives, then it is an active request without keys', () => {
    expect(parseRequest(call)).toEqual({
      ok: true,
      value: {
        kind: 'active',
        sessionId: 'ATVId_5f2a',
        caller: '+22376543210',
        destination: '+22320202020',
        direction: 'inbound',
        digits: undefined,
        recordingUrl: undefined,
      },
    });
  });

  it('when the direction is Outbound (a call back answered) or unknown, then it is read as such or left out', () => {
    const direction = (value: string) => {
      const parsed = parseRequest({ ...call, direction: value });
      return parsed.ok && parsed.value.kind === 'active' ? parsed.value.direction : 'not active';
    };
    expect(direction('Outbound')).toBe('outbound');
    expect(direction('INBOUND')).toBe('inbound');
    expect(direction('sideways')).toBeUndefined();
  });

  it('when keys were pressed after a GetDigits, then dtmfDigits is kept as typed', () => {
    const parsed = parseRequest({ ...call, dtmfDigits: '215#' });
    expect(parsed.ok && parsed.value.kind === 'active' && parsed.value.digits).toBe('215#');
  });

  it('when the final request arrives (isActive=0), then duration and cost are read', () => {
    const parsed = parseRequest({
      ...call,
      isActive: '0',
      durationInSeconds: '73',
      amount: '12.5',
      currencyCode: 'XOF',
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        kind: 'ended',
        sessionId: 'ATVId_5f2a',
        caller: '+22376543210',
        durationSeconds: 73,
        amount: 12.5,
        currency: 'XOF',
      },
    });
  });

  it.each([
    ['no session id', { ...call, sessionId: undefined }],
    ['a session id with spaces', { ...call, sessionId: 'a b' }],
    ['no caller', { ...call, callerNumber: undefined }],
    ['a caller that is no number', { ...call, callerNumber: 'hello' }],
    ['a repeated caller field', { ...call, callerNumber: ['+22376543210', '+22376543211'] }],
    ['no isActive', { ...call, isActive: undefined }],
    ['isActive of 2', { ...call, isActive: '2' }],
    ['keys that are no keys', { ...call, dtmfDigits: '12a' }],
    ['a flood of keys', { ...call, dtmfDigits: '1'.repeat(40) }],
  ])('when the form has %s, then it is refused', (_name, body) => {
    expect(parseRequest(body).ok).toBe(false);
  });

  it('when the final request carries junk figures, then they are dropped rather than trusted', () => {
    const parsed = parseRequest({
      ...call,
      isActive: '0',
      durationInSeconds: '-4',
      amount: 'x',
      currencyCode: 'usd',
    });
    expect(parsed.ok && parsed.value).toMatchObject({
      durationSeconds: undefined,
      amount: undefined,
      currency: undefined,
    });
  });
});

describe("Africa's Talking voice dialect: writing the answer", () => {
  const menu: VoiceTurn = {
    before: [],
    digits: {
      prompt: { kind: 'audio', urls: ['https://bot.example/audio/fr/prompt/welcome.wav'] },
      numDigits: 1,
      timeoutSeconds: 8,
      repeat: 1,
    },
    after: [{ kind: 'audio', urls: ['https://bot.example/audio/fr/prompt/goodbye.wav'] }],
    end: { kind: 'hangup' },
  };

  it('when a menu is written, then the prompt is nested in GetDigits, repeated once, and the goodbye follows', () => {
    const actions = parseAtAnswer(renderTurn(menu));
    expect(actions.map((a) => a.tag)).toEqual(['GetDigits', 'GetDigits', 'Play']);
    expect(actions[0]!.attributes).toEqual({ numDigits: '1', timeout: '8' });
    expect(playUrls(actions)).toEqual([
      'https://bot.example/audio/fr/prompt/welcome.wav',
      'https://bot.example/audio/fr/prompt/welcome.wav',
      'https://bot.example/audio/fr/prompt/goodbye.wav',
    ]);
  });

  it('when a number is asked, then finishOnKey and the callback URL are attributes of GetDigits', () => {
    const xml = renderTurn({
      ...menu,
      digits: {
        ...menu.digits!,
        numDigits: undefined,
        finishOnKey: '#',
        callbackUrl: 'https://bot.example/voice?a=1&b=2',
      },
    });
    const [first] = parseAtAnswer(xml);
    expect(first!.attributes).toEqual({
      timeout: '8',
      finishOnKey: '#',
      callbackUrl: 'https://bot.example/voice?a=1&b=2',
    });
    expect(xml).toContain('callbackUrl="https://bot.example/voice?a=1&amp;b=2"');
  });

  it('when a digits request would nest two files, then rendering refuses (the gateway takes one Play)', () => {
    expect(() =>
      renderTurn({
        ...menu,
        digits: { ...menu.digits!, prompt: { kind: 'audio', urls: ['https://a/1.wav', 'https://a/2.wav'] } },
      }),
    ).toThrow(/one Play/);
  });

  it('when text with markup characters is said, then it is escaped and reads back unchanged', () => {
    const text = 'Fin <de> l\'appel & "merci"';
    const actions = parseAtAnswer(
      renderTurn({ before: [{ kind: 'say', text }], after: [], end: { kind: 'hangup' } }),
    );
    expect(actions).toEqual([{ tag: 'Say', attributes: { voice: 'woman' }, text, children: [] }]);
  });

  it('when text carries control characters, then they are dropped (XML 1.0 forbids them)', () => {
    expect(escapeXml('a\u0000b\u0007c\nd')).toBe('abc\nd');
  });

  it('when a turn redirects or rejects, then Redirect carries the URL as text and Reject is empty', () => {
    const redirect = parseAtAnswer(
      renderTurn({ before: [], after: [], end: { kind: 'redirect', url: 'https://b/v' } }),
    );
    expect(redirect).toEqual([{ tag: 'Redirect', attributes: {}, text: 'https://b/v', children: [] }]);
    const reject = parseAtAnswer(renderTurn({ before: [], after: [], end: { kind: 'reject' } }));
    expect(reject.map((a) => a.tag)).toEqual(['Reject']);
  });

  it('when the answer checker meets an element the gateway does not know, then it fails (the check can fail)', () => {
    expect(() =>
      parseAtAnswer('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>'),
    ).toThrow(/Hangup/);
    expect(() =>
      parseAtAnswer(
        '<?xml version="1.0" encoding="UTF-8"?><Response><GetDigits><Play url="https://a/1.wav"/><Play url="https://a/2.wav"/></GetDigits></Response>',
      ),
    ).toThrow(/exactly one/);
  });

  it('when the dialect table is read, then Africa’s Talking nests one prompt and reads callerNumber', () => {
    expect(dialects.africastalking).toMatchObject({ promptsPerDigits: 1, callerField: 'callerNumber' });
  });
});
