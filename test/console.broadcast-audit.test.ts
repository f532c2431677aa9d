import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConsoleClient, PASSWORDS, consoleUsers } from './support/console.js';
import { describeWithRedis } from './support/redis.js';
import { startService, type RunningService } from './support/service.js';

/**
 * Issue 33 (low): a broadcast started again was audited as sent again, even when the id had
 * been used for another message and nothing of the new one went out. Now: the same message
 * again is a resume (nothing sent twice, audited `broadcast.resume`); another message under a
 * used id is refused (409, nothing queued, audited `broadcast.refused`).
 */
describeWithRedis('a broadcast sent twice, in the audit log', (redisUrl) => {
  let running: RunningService;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dim-bc-audit-'));
    running = await startService({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `bcaudit${randomBytes(3).toString('hex')}:`,
      PHONE_HASH_KEY: 'broadcast-audit-phone-key-0123456789',
      SUBSCRIBERS_KEY: 'broadcast-audit-subscribers-key-0123456789abcdef',
      CONSOLE_USERS: await consoleUsers(),
      CONSOLE_SESSION_SECRET: 's'.repeat(40),
    });
  });
  afterAll(async () => {
    await running?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the same id is sent again, then it is a resume; with another message, it is refused and nothing is queued', async () => {
    const bob = new ConsoleClient(running.baseUrl);
    expect((await bob.login('bob', PASSWORDS.bob)).status).toBe(303);
    const id = `b${Date.now().toString(36)}abc`;
    const send = async (fr: string) =>
      bob.post('/admin/broadcasts/send', {
        _csrf: await bob.token('/admin/broadcasts'),
        id,
        fr,
        audience: 'all',
      });
    expect((await send('Nouvelle information sur la 2.10.')).status).toBe(303);
    expect((await send('Nouvelle information sur la 2.10.')).status).toBe(303);
    const other = await send('Un tout autre message.');
    expect(other.status).toBe(409);
    const audit = (await running.service.consoleRecords!.auditLog()).filter((e) =>
      e.action.startsWith('broadcast.'),
    );
    expect(audit.map((e) => [e.who, e.action, e.detail]).reverse()).toEqual([
      ['bob', 'broadcast.send', `${id} all`],
      ['bob', 'broadcast.resume', `${id} all`],
      ['bob', 'broadcast.refused', `${id} another message`],
    ]);
  });
});
