import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildAudio } from '../adapters/voice/audio/build.js';
import { createAudioCatalog } from '../adapters/voice/audio/catalog.js';
import { createAudioLibrary } from '../adapters/voice/audio/library.js';
import { loadCorpus } from '../src/content/load.js';
import { t } from '../src/i18n/index.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { startService, type RunningService } from './support/service.js';
import { parseAtAnswer, toneSynthesizer } from './support/voice.js';

/**
 * "Call me back" over HTTP as the gateways drive it: missed calls posted to POST /voice like
 * Africa's Talking posts them, SMS posted to POST /sms, and nock standing in for Africa's
 * Talking's voice API (https://voice.africastalking.com/call, where the SDK's VOICE.call posts)
 * and its SMS API (the answers to APPEL).
 */

const VOICE_API = 'https://voice.africastalking.com';
const SMS_API = 'https://api.africastalking.com';
const LINE = '+22320000000';
const corpus = loadCorpus('content/recommendations.json');
let counter = 0;
let audioDir: string;
let dataDir: string;

interface Placed {
  username: string;
  from: string;
  to: string;
  clientRequestId?: string;
}

/** Africa's Talking in front of the service: every call request and SMS is recorded and accepted. */
function fakeAfricasTalking() {
  const calls: Placed[] = [];
  const sms: Array<{ to: string; message: string }> = [];
  nock(VOICE_API)
    .persist()
    .matchHeader('apikey', 'test-api-key')
    .post('/call')
    .reply(201, (_uri, body) => {
      const form = Object.fromEntries(new URLSearchParams(body as string)) as unknown as Placed;
      calls.push(form);
      return {
        entries: [{ phoneNumber: form.to, status: 'Queued', sessionId: `ATVId_cb_${calls.length}` }],
        errorMessage: 'None',
      };
    });
  nock(SMS_API)
    .persist()
    .post('/version1/messaging')
    .reply(201, (_uri, body) => {
      const form = Object.fromEntries(new URLSearchParams(body as string));
      sms.push({ to: form.to!, message: form.message! });
      return {
        SMSMessageData: {
          Message: 'Sent to 1/1',
          Recipients: [
            {
              statusCode: 101,
              number: form.to,
              status: 'Success',
              cost: 'XOF 10',
              messageId: `m${sms.length}`,
            },
          ],
        },
      };
    });
  return { calls, sms };
}

async function post(baseUrl: string, path: string, fields: Record<string, string>) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  const text = await res.text();
  return { status: res.status, text };
}

const newPhone = () => `+2237${String(++counter).padStart(7, '0')}`;

/** One call's first request, as AT posts it; `direction` Inbound (the person called) or Outbound (the line did). */
async function ring(
  baseUrl: string,
  caller: string,
  direction = 'Inbound',
  sessionId = `ATVId_in_${++counter}`,
) {
  const fields = { isActive: '1', sessionId, direction, callerNumber: caller, destinationNumber: LINE };
  const answer = await post(baseUrl, '/voice', fields);
  return {
    ...answer,
    tags: parseAtAnswer(answer.text).map((a) => a.tag),
    hangUp: () => post(baseUrl, '/voice', { ...fields, isActive: '0', durationInSeconds: '0' }),
  };
}

async function sms(running: RunningService, from: string, text: string) {
  return post(running.baseUrl, '/sms', {
    from,
    to: '36000',
    text,
    date: '2024-05-10 10:00:00',
    id: `ATXid_cb_${process.pid}_${++counter}`,
  });
}

/** Waits for the call backs and SMS under way, so what AT received can be counted. */
async function settle(running: RunningService) {
  await running.service.callBacks.callbacks.flush();
  await running.service.sms.flush();
}

async function start(env: Record<string, string>): Promise<RunningService> {
  return startService(
    {
      AUDIO_DIR: audioDir,
      DATA_DIR: dataDir,
      VOICE_LANGS: 'fr',
      PHONE_HASH_KEY: 'callback-test-key-0123456789',
      AT_USERNAME: 'dimtest',
      AT_API_KEY: 'test-api-key',
      ...env,
    },
    { callbackDelayMs: 0 },
  );
}

beforeAll(async () => {
  audioDir = mkdtempSync(join(tmpdir(), 'dim-callback-audio-'));
  dataDir = mkdtempSync(join(tmpdir(), 'dim-callback-data-'));
  // The French prompts (tone stand-ins): enough for the line to answer with its home menu.
  const library = createAudioLibrary(audioDir, createAudioCatalog(corpus));
  await buildAudio({
    library,
    synthesizer: toneSynthesizer,
    langs: ['fr'],
    only: (r) => r.kind === 'prompt',
  });
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
  rmSync(audioDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('call me back, with VOICE_CALLBACK=on (Africa’s Talking faked with nock)', () => {
  let running: RunningService;
  const phones: string[] = [];
  beforeAll(async () => {
    running = await start({ VOICE_CALLBACK: 'on', VOICE_CALLBACK_FROM: LINE, VOICE_CALLBACK_PER_DAY: '2' });
  });
  afterAll(async () => {
    await running?.close();
  });

  it('when a person calls the line, then the call is rejected (free), exactly one call back is placed from the line’s number, and that call, answered, plays the line', async () => {
    const at = fakeAfricasTalking();
    const caller = newPhone();
    phones.push(caller);
    const missed = await ring(running.baseUrl, caller);
    expect(missed.status).toBe(200);
    expect(missed.tags).toEqual(['Reject']);
    expect(missed.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Reject/></Response>');
    expect((await missed.hangUp()).status).toBe(200);
    await settle(running);
    expect(at.calls).toEqual([{ username: 'dimtest', from: LINE, to: caller, clientRequestId: 'callback' }]);

    // AT rings the person; answered, it posts the call like any other (direction Outbound).
    const answered = await ring(running.baseUrl, caller, 'Outbound', 'ATVId_cb_1');
    expect(answered.tags).toEqual(['GetDigits', 'GetDigits', 'Play']);
    await settle(running);
    expect(at.calls).toHaveLength(1);
    const metrics = await (await fetch(`${running.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/dim_voice_callbacks_total\{trigger="missedCall",outcome="placed"\} 1/);
    expect(metrics).toMatch(/dim_voice_calls_ended_total\{outcome="calledBack",node="callback"\} 1/);
  });

  it('when a person misses a third call the same day (2 a day), then no third call back is placed and the line answers as usual', async () => {
    const at = fakeAfricasTalking();
    const caller = newPhone();
    phones.push(caller);
    expect((await ring(running.baseUrl, caller)).tags).toEqual(['Reject']);
    expect((await ring(running.baseUrl, caller)).tags).toEqual(['Reject']);
    const third = await ring(running.baseUrl, caller);
    expect(third.tags).toEqual(['GetDigits', 'GetDigits', 'Play']);
    await settle(running);
    expect(at.calls.map((c) => c.to)).toEqual([caller, caller]);
  });

  it('when a person sends APPEL by SMS, then one call back is placed and the SMS says so in one line; over the day’s limit it says the limit in one line and places nothing', async () => {
    const at = fakeAfricasTalking();
    const from = newPhone();
    phones.push(from);
    expect((await sms(running, from, 'APPEL')).status).toBe(200);
    await settle(running);
    expect(at.calls).toEqual([{ username: 'dimtest', from: LINE, to: from, clientRequestId: 'callback' }]);
    expect(at.sms).toEqual([{ to: from, message: 'On vous rappelle dans un instant.' }]);

    await sms(running, from, 'rappel');
    await sms(running, from, 'Call me');
    await settle(running);
    expect(at.calls).toHaveLength(2);
    expect(at.sms.map((s) => s.message)).toEqual([
      'On vous rappelle dans un instant.',
      'On vous rappelle dans un instant.',
      toGsm7(t('fr', 'callback.limit')),
    ]);
    expect(at.sms.every((s) => s.message.length <= 160)).toBe(true);
  });

  it('when the day’s calls are spent by missed calls, then APPEL by SMS is refused too (one count per person)', async () => {
    const at = fakeAfricasTalking();
    const caller = newPhone();
    phones.push(caller);
    await ring(running.baseUrl, caller);
    await ring(running.baseUrl, caller);
    await sms(running, caller, 'APPEL');
    await settle(running);
    expect(at.calls).toHaveLength(2);
    expect(at.sms.map((s) => s.message)).toEqual([toGsm7(t('fr', 'callback.limit'))]);
  });

  it('when call backs were asked for, then no log line carries a phone number', async () => {
    expect(phones.length).toBeGreaterThan(3);
    const logs = running.logs.text;
    expect(logs).toMatch(/call back placed/);
    for (const phone of phones) {
      expect(logs).not.toContain(phone);
      expect(logs).not.toContain(phone.slice(1));
      expect(logs).not.toContain(phone.slice(4)); // the national number
    }
  });
});

describe('call me back, with VOICE_CALLBACK off (the default)', () => {
  let running: RunningService;
  beforeAll(async () => {
    running = await start({});
  });
  afterAll(async () => {
    await running?.close();
  });

  it('when a person calls the line, then nothing is rejected: the line answers as usual and no call is placed', async () => {
    const at = fakeAfricasTalking();
    const caller = newPhone();
    const answer = await ring(running.baseUrl, caller);
    expect(answer.tags).toEqual(['GetDigits', 'GetDigits', 'Play']);
    expect(answer.text).not.toContain('Reject');
    await settle(running);
    expect(at.calls).toEqual([]);
  });

  it('when a person sends APPEL by SMS, then the answer says call backs are not offered, and no call is placed', async () => {
    const at = fakeAfricasTalking();
    const from = newPhone();
    await sms(running, from, 'APPEL');
    await settle(running);
    expect(at.calls).toEqual([]);
    // What is not offered, then what to send instead.
    expect(at.sms).toEqual([
      { to: from, message: toGsm7(`${t('fr', 'callback.unavailable')}\n${t('fr', 'hint.typed')}`) },
    ]);
    expect(running.logs.text).not.toContain(from.slice(1));
  });
});
