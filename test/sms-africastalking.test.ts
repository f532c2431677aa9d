import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../adapters/logging.js';
import { createAfricasTalkingSender } from '../adapters/sms/senders/africastalking.js';
import { withRetry } from '../adapters/sms/senders/retry.js';
import { createPseudonymizer } from '../src/privacy/pseudonym.js';
import { LogCapture } from './support/service.js';
import { startSmsHarness } from './support/sms.js';

const AT = 'https://api.africastalking.com';
const PATH = '/version1/messaging';
const TO = '+22370000021';
const accepted = (messageId = 'ATXid_ok') => ({
  SMSMessageData: {
    Message: 'Sent to 1/1 Total Cost: XOF 10',
    Recipients: [{ statusCode: 101, number: TO, status: 'Success', cost: 'XOF 10', messageId }],
  },
});
const recipient = (statusCode: number, status: string) => ({
  SMSMessageData: {
    Message: 'Sent to 0/1',
    Recipients: [{ statusCode, number: TO, status, cost: '0', messageId: 'None' }],
  },
});

function sender() {
  const logs = new LogCapture();
  const pseudonymize = createPseudonymizer('k'.repeat(32));
  const at = createAfricasTalkingSender({ username: 'dimtest', apiKey: 'test-api-key', from: '36000' });
  // Short delays keep the test quick; the policy's shape (3 attempts, backoff) is what is tested.
  const retrying = withRetry(at, {
    logger: createLogger('info', logs),
    pseudonymize,
    policy: { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 },
  });
  return { send: (text = 'Bonjour') => retrying.send({ to: TO, text }), logs, pseudonym: pseudonymize(TO) };
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
});

describe("Africa's Talking sender through the official SDK (HTTP intercepted with nock)", () => {
  it('when AT answers 201 with status 101, then the SMS counts as sent, posted as the SDK posts it', async () => {
    let posted: Record<string, string> = {};
    const scope = nock(AT)
      .matchHeader('apikey', 'test-api-key')
      .post(PATH, (body: Record<string, string>) => {
        posted = body;
        return true;
      })
      .reply(201, accepted('ATXid_1'));
    const { send } = sender();
    expect(await send('Recommandation 2.15')).toEqual({ status: 'sent', messageId: 'ATXid_1' });
    expect(scope.isDone()).toBe(true);
    expect(posted).toMatchObject({
      username: 'dimtest',
      to: TO,
      message: 'Recommandation 2.15',
      from: '36000',
    });
  });

  it('when AT answers 500 then 201, then the send is retried once and succeeds', async () => {
    const scope = nock(AT).post(PATH).reply(500, 'oops').post(PATH).reply(201, accepted());
    expect((await sender().send()).status).toBe('sent');
    expect(scope.isDone()).toBe(true);
  });

  it('when AT throttles (429) then accepts, then the send is retried and succeeds', async () => {
    const scope = nock(AT).post(PATH).reply(429, 'Too Many Requests').post(PATH).reply(201, accepted());
    expect((await sender().send()).status).toBe('sent');
    expect(scope.isDone()).toBe(true);
  });

  it('when AT reports its own gateway error for the recipient (501) then accepts, then it is retried', async () => {
    const scope = nock(AT)
      .post(PATH)
      .reply(201, recipient(501, 'GatewayError'))
      .post(PATH)
      .reply(201, accepted());
    expect((await sender().send()).status).toBe('sent');
    expect(scope.isDone()).toBe(true);
  });

  it('when the connection is reset then the next attempt succeeds, then the SMS is sent', async () => {
    const scope = nock(AT)
      .post(PATH)
      // An Error instance: with a plain object, nock 14 leaves the axios request hanging.
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .post(PATH)
      .reply(201, accepted());
    expect((await sender().send()).status).toBe('sent');
    expect(scope.isDone()).toBe(true);
  });

  it('when AT keeps failing with 503, then it stops after 3 attempts and logs the failure with the pseudonym only', async () => {
    const scope = nock(AT).post(PATH).times(4).reply(503, 'down');
    const { send, logs, pseudonym } = sender();
    expect((await send()).status).toBe('refused');
    expect(scope.pendingMocks()).toHaveLength(1); // the 4th was never asked for
    expect(logs.text).toContain(pseudonym);
    expect(logs.text).toContain('sms send failed');
    expect(logs.text).not.toContain('70000021');
  });

  for (const [what, reply] of [
    [
      'HTTP 401 (bad API key)',
      () => nock(AT).post(PATH).reply(401, 'The supplied authentication is invalid'),
    ],
    [
      'recipient 403 InvalidPhoneNumber',
      () => nock(AT).post(PATH).reply(201, recipient(403, 'InvalidPhoneNumber')),
    ],
    [
      'recipient 406 UserInBlacklist',
      () => nock(AT).post(PATH).reply(201, recipient(406, 'UserInBlacklist')),
    ],
    [
      'recipient 405 InsufficientBalance',
      () => nock(AT).post(PATH).reply(201, recipient(405, 'InsufficientBalance')),
    ],
  ] as const) {
    it(`when AT refuses with ${what}, then there is no retry`, async () => {
      const scope = reply();
      const spare = nock(AT).post(PATH).reply(201, accepted());
      const { send, logs } = sender();
      expect((await send()).status).toBe('refused');
      expect(scope.isDone()).toBe(true);
      expect(spare.isDone()).toBe(false);
      expect(logs.text).not.toContain('70000021');
    });
  }

  it('when the number is not one the SDK accepts, then it is refused without any HTTP call', async () => {
    const spare = nock(AT).post(PATH).reply(201, accepted());
    const logs = new LogCapture();
    const at = createAfricasTalkingSender({ username: 'dimtest', apiKey: 'k' });
    const retrying = withRetry(at, {
      logger: createLogger('info', logs),
      pseudonymize: createPseudonymizer('k'.repeat(32)),
    });
    expect((await retrying.send({ to: '12', text: 'x' })).status).toBe('refused');
    expect(spare.isDone()).toBe(false);
  });
});

describe("Africa's Talking end to end: an incoming SMS answered through the SDK", () => {
  it('when AT credentials are set and a person writes, then exactly one reply is posted to AT even if the gateway delivers twice, and there is no outbox', async () => {
    const sms = await startSmsHarness({
      AT_USERNAME: 'dimtest',
      AT_API_KEY: 'test-api-key',
      AT_SHORTCODE: '36000',
    });
    try {
      const bodies: Array<Record<string, string>> = [];
      const scope = nock(AT)
        .post(PATH, (body: Record<string, string>) => {
          bodies.push(body);
          return true;
        })
        .times(2)
        .reply(201, accepted('ATXid_e2e'));
      const first = await sms.incoming('2.15', { from: TO, id: 'ATXid_in_1' });
      const again = await sms.incoming('2.15', { from: TO, id: 'ATXid_in_1' });
      expect([first.body.status, again.body.status]).toEqual(['accepted', 'duplicate']);
      await sms.service.sms.flush();
      expect(bodies).toHaveLength(1);
      expect(scope.pendingMocks()).toHaveLength(1);
      expect(bodies[0]).toMatchObject({ to: TO, from: '36000', username: 'dimtest' });
      expect(bodies[0]!.message).toContain('2.15');
      expect((await fetch(`${sms.baseUrl}/dev/outbox`)).status).toBe(404);
      expect(sms.logs.text).toContain('ATXid_e2e');
      expect(sms.logs.text).not.toContain('70000021');
    } finally {
      await sms.stop();
    }
  });
});
