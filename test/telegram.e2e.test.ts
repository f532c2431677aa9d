import { createServer } from 'node:net';
// The class itself (the package's default export is a CommonJS `exports.default`).
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from './support/service.js';

const TOKEN = '987654:E2E-token';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The bot's messages the emulated user has received so far, waiting up to a few seconds for `count`. */
async function botMessages(client: ReturnType<TelegramServer['getClient']>, count: number) {
  const received: Array<{ text: string; reply_markup?: unknown }> = [];
  const deadline = Date.now() + 8000;
  while (received.length < count && Date.now() < deadline) {
    const updates = await client.getUpdates();
    for (const u of updates.result) received.push(u.message as { text: string; reply_markup?: unknown });
  }
  return received;
}

describe('telegram end to end in polling mode against a Bot API test server', () => {
  let server: TelegramServer;
  let running: RunningService;

  beforeAll(async () => {
    server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 60 });
    await server.start();
    running = await startService({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: server.config.apiURL });
  });
  afterAll(async () => {
    await running?.close();
    await server?.stop();
  });

  it('when a user sends /start then 2.15, then the greeting and the recommendation arrive through polling', async () => {
    expect(running.service.telegram?.mode).toBe('polling');
    const client = server.getClient(TOKEN, { timeout: 5000 });
    await client.sendCommand(client.makeCommand('/start'));
    const [greeting] = await botMessages(client, 1);
    expect(greeting?.text).toContain('Bonjour');

    await client.sendMessage(client.makeMessage('2.15'));
    const [reco] = await botMessages(client, 1);
    const expected = running.service.engine.recommendation('2.15')!;
    expect(reco?.text).toContain('Recommandation 2.15');
    expect(reco?.text).toContain(expected.text.slice(0, 40).replace(/&/g, '&amp;'));
  });

  it('when a user taps a theme button, then the bot answers the tap and shows the theme', async () => {
    const client = server.getClient(TOKEN, { timeout: 5000 });
    await client.sendCallback(client.makeCallbackQuery('t:3:0'));
    const [screen] = await botMessages(client, 1);
    expect(screen?.text).toContain('Thème 3');
  });
});
