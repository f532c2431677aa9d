import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../adapters/telegram/bot.js';
import { createTelegramChannel } from '../adapters/telegram/run.js';
import { MemorySessionStore } from '../adapters/stores/memory-store.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { noMetrics } from '../src/ports/index.js';
import { createPseudonymizer } from '../src/privacy/pseudonym.js';
import { startFakeBotApi, type FakeBotApi } from './support/fake-bot-api.js';
import { startService, type RunningService } from './support/service.js';
import { BOT_INFO, memoryLogger, realEngine, textMessage } from './support/telegram.js';

const TOKEN = '123456:TEST-token';
const SECRET = 'webhook_Secret-0123';
const HOOK_PATH = '/tg/hook-7f3a';

describe('telegram webhook through the real service', () => {
  let api: FakeBotApi;
  let running: RunningService;
  const post = (
    body: unknown,
    headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': SECRET },
  ) =>
    fetch(`${running.baseUrl}${HOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    api = await startFakeBotApi();
    running = await startService({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_URL: `https://bot.example.org${HOOK_PATH}`,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: api.url,
    });
  });
  afterAll(async () => {
    await running?.close();
    await api?.close();
  });

  it('when the service starts in webhook mode, then it registers the webhook with its secret and the commands', async () => {
    const setWebhook = await api.waitFor('setWebhook');
    expect(setWebhook.token).toBe(TOKEN);
    expect(setWebhook.payload).toMatchObject({
      url: `https://bot.example.org${HOOK_PATH}`,
      secret_token: SECRET,
    });
    // Edited messages too (issue 37): a corrected typo is answered.
    expect(setWebhook.payload.allowed_updates).toEqual([
      'message',
      'edited_message',
      'callback_query',
      'inline_query',
    ]);
    await api.waitFor('setMyCommands');
    expect(running.service.telegram?.mode).toBe('webhook');
  });

  it('when an update comes with the right secret, then it is answered 200 and the reply goes to the chat', async () => {
    const res = await post({ update_id: 500, ...textMessage('/reco 2.15') });
    expect(res.status).toBe(200);
    const reply = api.calls.find(
      (c) => c.method === 'sendMessage' && String(c.payload.text).includes('2.15'),
    );
    expect(reply?.payload.chat_id).toBe(777001);
  });

  it('when the secret is missing or wrong, then 401 and the bot does nothing', async () => {
    // Only what an update would cause counts: start-up calls (setMyCommands for each locale)
    // may still be arriving in the background.
    const replies = () => api.calls.filter((c) => c.method.startsWith('send')).length;
    const before = replies();
    expect((await post({ update_id: 501, ...textMessage('/start') }, {})).status).toBe(401);
    const wrong = await post(
      { update_id: 502, ...textMessage('/start') },
      { 'x-telegram-bot-api-secret-token': 'nope' },
    );
    expect(wrong.status).toBe(401);
    expect(replies()).toBe(before);
  });

  it('when the body is not an update (bad JSON, no update_id, wrong type), then 400, never 500', async () => {
    expect((await post('{not json')).status).toBe(400);
    expect((await post({ hello: 1 })).status).toBe(400);
    expect((await post([1, 2])).status).toBe(400);
    const text = await fetch(`${running.baseUrl}${HOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-telegram-bot-api-secret-token': SECRET },
      body: 'update',
    });
    expect(text.status).toBe(400);
  });

  it('when Telegram delivers the same update twice, then the chat gets one reply', async () => {
    const count = () => api.calls.filter((c) => c.method === 'sendMessage').length;
    const before = count();
    expect((await post({ update_id: 777, ...textMessage('/themes') })).status).toBe(200);
    expect((await post({ update_id: 777, ...textMessage('/themes') })).status).toBe(200);
    expect(count()).toBe(before + 1);
  });

  it('when the webhook path is asked with GET, then it is not found', async () => {
    expect((await fetch(`${running.baseUrl}${HOOK_PATH}`)).status).toBe(404);
  });

  it('when the log is read, then it holds neither the secret nor the token nor the user id', () => {
    expect(running.logs.text).not.toContain(SECRET);
    expect(running.logs.text).not.toContain(TOKEN);
    expect(running.logs.text).not.toContain('777001');
  });
});

describe('telegram off and misconfigured', () => {
  it('when TELEGRAM_BOT_TOKEN is unset, then the channel is off and the rest serves', async () => {
    const running = await startService({});
    try {
      expect(running.service.telegram).toBeUndefined();
      expect((await fetch(`${running.baseUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${running.baseUrl}${HOOK_PATH}`, { method: 'POST' })).status).toBe(404);
    } finally {
      await running.close();
    }
  });

  it('when a webhook URL is set without a secret, then the configuration is refused', () => {
    expect(() =>
      loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/tg/x' }),
    ).toThrow(ConfigError);
    expect(() =>
      loadConfig({
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
      }),
    ).toThrow(ConfigError);
  });
});

describe('telegram calls retried a bounded number of times', () => {
  let api: FakeBotApi;
  beforeAll(async () => {
    api = await startFakeBotApi();
  });
  afterAll(() => api.close());

  const bot = () =>
    createBot({
      token: TOKEN,
      apiRoot: api.url,
      botInfo: BOT_INFO,
      engine: realEngine(),
      store: new MemorySessionStore(),
      logger: memoryLogger(),
      metrics: noMetrics,
      pseudonymize: createPseudonymizer('k'.repeat(20)),
    });
  const tooMany = {
    status: 429,
    body: { ok: false, error_code: 429, description: 'Too Many Requests', parameters: { retry_after: 0 } },
  };

  it('when Telegram says 429 twice, then the message goes on the third try', async () => {
    api.calls.length = 0;
    let n = 0;
    api.script = (call) => (call.method === 'sendMessage' && n++ < 2 ? tooMany : undefined);
    await bot().api.sendMessage(1, 'x');
    expect(api.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(3);
  });

  it('when Telegram keeps saying 429, then the call fails after 3 retries', async () => {
    api.calls.length = 0;
    api.script = (call) => (call.method === 'sendMessage' ? tooMany : undefined);
    await expect(bot().api.sendMessage(1, 'x')).rejects.toThrow(/429/);
    expect(api.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(4);
  });

  it('when Telegram asks to wait longer than 5 s, then the call fails at once', async () => {
    api.calls.length = 0;
    api.script = () => ({ ...tooMany, body: { ...tooMany.body, parameters: { retry_after: 60 } } });
    await expect(bot().api.sendMessage(1, 'x')).rejects.toThrow(/429/);
    expect(api.calls).toHaveLength(1);
  });

  it('when the network fails every time, then the call fails after 2 retries instead of retrying forever', async () => {
    api.calls.length = 0;
    api.script = () => 'drop';
    await expect(bot().api.sendMessage(1, 'x')).rejects.toThrow();
    // The count is the claim: a first call and 2 retries, then the error (no timing needed).
    expect(api.calls).toHaveLength(3);
  });
});

describe('telegram long polling when Telegram is unreachable at first', () => {
  it('when getMe fails at start, then polling begins once Telegram answers, serves, and stops cleanly', async () => {
    const api = await startFakeBotApi();
    const logger = memoryLogger();
    let getMeCalls = 0;
    api.script = (call) => (call.method === 'getMe' && ++getMeCalls <= 6 ? 'drop' : undefined);
    const channel = createTelegramChannel(
      loadConfig({ NODE_ENV: 'test', TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: `${api.url}/` }),
      {
        engine: realEngine(),
        store: new MemorySessionStore(),
        logger,
        metrics: noMetrics,
        pseudonymize: createPseudonymizer('k'.repeat(20)),
      },
    )!;
    try {
      expect(channel.mode).toBe('polling');
      await channel.start();
      api.updates.push({ update_id: 1, ...textMessage('/reco 3.1') });
      const reply = await api.waitFor('sendMessage', 8000);
      expect(String(reply.payload.text)).toContain('Recommandation 3.1');
      expect(getMeCalls).toBeGreaterThan(6);
      expect(logger.lines.some((l) => l.msg === 'telegram: Telegram unreachable, retrying')).toBe(true);
      await api.waitFor('setMyCommands');
    } finally {
      await channel.stop();
    }
    const polls = api.calls.filter((c) => c.method === 'getUpdates').length;
    await new Promise((r) => setTimeout(r, 300));
    expect(api.calls.filter((c) => c.method === 'getUpdates').length).toBeLessThanOrEqual(polls + 1);
    expect(JSON.stringify(logger.lines)).not.toContain(TOKEN);
    await api.close();
  });
});

describe('telegram in the service shares the per-person budget', () => {
  it('when a user sends more than RATE_LIMIT_PER_MINUTE updates, then the extra ones get one notice', async () => {
    const api = await startFakeBotApi();
    const running = await startService({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_URL: `https://bot.example.org${HOOK_PATH}`,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: api.url,
      RATE_LIMIT_PER_MINUTE: '2',
    });
    try {
      for (let id = 1; id <= 4; id++) {
        const res = await fetch(`${running.baseUrl}${HOOK_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body: JSON.stringify({ update_id: id, ...textMessage('2.15') }),
        });
        expect(res.status).toBe(200);
      }
      const texts = api.calls.filter((c) => c.method === 'sendMessage').map((c) => String(c.payload.text));
      expect(texts.filter((t) => t.includes('Recommandation 2.15'))).toHaveLength(2);
      expect(texts.filter((t) => t.includes('Trop de demandes'))).toHaveLength(1);
    } finally {
      await running.close();
      await api.close();
    }
  });
});
