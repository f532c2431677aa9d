import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../src/i18n/index.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { ConsoleClient, PASSWORDS, consoleUsers } from './support/console.js';
import { startService, type RunningService } from './support/service.js';

/**
 * The console's follow-up editor and broadcast pages over real HTTP (embedded mode: follow-ups
 * in a file, broadcasts off for want of Redis). The browser test in
 * console.news.browser.test.ts runs the same pages with Redis and a real broadcast.
 */
const SOURCE = 'Charte pour la paix et la réconciliation nationale, 7 août 2025';

let running: RunningService;
let dataDir: string;
let smsId = 0;

async function sms(text: string, from = '+22370009001'): Promise<string> {
  const before = running.service.sms.outbox!.list().length;
  const answer = await fetch(`${running.baseUrl}/sms`, {
    method: 'POST',
    body: new URLSearchParams({ from, to: '36000', text, id: `news-${++smsId}` }),
  });
  expect(answer.status).toBe(200);
  await running.service.sms.flush();
  return running.service.sms
    .outbox!.list()
    .slice(before)
    .map((e) => e.text)
    .join('\n');
}

async function signedIn(name: keyof typeof PASSWORDS): Promise<ConsoleClient> {
  const client = new ConsoleClient(running.baseUrl);
  expect((await client.login(name, PASSWORDS[name])).status).toBe(303);
  return client;
}

const publishForm = (token: string, fields: Record<string, string> = {}) => ({
  _csrf: token,
  expectedVersion: '0',
  status: 'announced',
  date: '2025-08-07',
  source: SOURCE,
  note: 'Annoncée dans la Charte.',
  ...fields,
});

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dim-console-news-'));
  running = await startService({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    CONSOLE_USERS: await consoleUsers(),
    SUBSCRIBERS_KEY: 'k'.repeat(32),
  });
});
afterAll(async () => {
  await running?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the follow-up editor in the console', () => {
  it('when an editor publishes a status for 2.10, then the next SMS answer for 2.10 shows it with its source, and the audit log names the editor', async () => {
    const ed = await signedIn('ed');
    const page = await ed.get('/admin/followups/2.10');
    expect(page.status).toBe(200);
    expect(page.text).toContain(t('fr', 'followup.none').replace(/’/g, '&#39;').slice(0, 10));
    const saved = await ed.post(
      '/admin/followups/2.10',
      publishForm(await ed.token('/admin/followups/2.10')),
    );
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/admin/followups/2.10?saved=1');
    const after = await ed.get('/admin/followups/2.10?saved=1');
    expect(after.text).toContain('Version 1 publiée');
    expect(after.text).toContain('data-version="1"');

    const reply = await sms('2.10');
    expect(reply).toContain(toGsm7(`Suivi : ${t('fr', 'followup.status.announced')}`));
    expect(reply).toContain(toGsm7('Charte pour la paix'));
    expect((await ed.get('/admin/audit')).text).toContain('followup.publish');
    expect((await ed.get('/admin/followups')).text).toMatch(/href="\/admin\/followups\/2\.10"\s*>2\.10</);
  });

  it('when SUIVI asks for a recommendation nobody edited, then the answer is the honest one', async () => {
    expect(await sms('SUIVI 2.11')).toContain(toGsm7('Aucune information officielle de suivi à ce jour'));
  });

  it('when two editors edit from the same version, then the second is told and nothing is overwritten', async () => {
    const ed = await signedIn('ed');
    const token = await ed.token('/admin/followups/3.4');
    expect((await ed.post('/admin/followups/3.4', publishForm(token))).status).toBe(303);
    const late = await ed.post(
      '/admin/followups/3.4',
      publishForm(await ed.token('/admin/followups/3.4'), { expectedVersion: '0', status: 'done' }),
    );
    expect(late.status).toBe(409);
    expect(late.text).toContain('version 1');
    expect(await running.service.followUp.followUps.history('3.4')).toHaveLength(1);
  });

  it('when the version read is missing, not a number or negative, then nothing is published (the conflict check is never skipped)', async () => {
    const ed = await signedIn('ed');
    expect(
      (await ed.post('/admin/followups/3.5', publishForm(await ed.token('/admin/followups/3.5')))).status,
    ).toBe(303);
    for (const expectedVersion of ['abc', '-1', '', '1.5', '0x1']) {
      const answer = await ed.post(
        '/admin/followups/3.5',
        publishForm(await ed.token('/admin/followups/3.5'), { expectedVersion, status: 'done' }),
      );
      expect(answer.status, JSON.stringify(expectedVersion)).toBe(400);
    }
    expect(await running.service.followUp.followUps.history('3.5')).toHaveLength(1);
  });

  it('when the form is invalid (http link, date before the report, unknown status), then it is refused with the reasons and kept', async () => {
    const ed = await signedIn('ed');
    const token = await ed.token('/admin/followups/1.2');
    const bad = await ed.post(
      '/admin/followups/1.2',
      publishForm(token, { source: 'http://example.org/charte', date: '2023-01-01', status: 'maybe' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('https');
    expect(bad.text).toContain('date before the report');
    expect(bad.text).toContain('value="http://example.org/charte"');
    expect(await running.service.followUp.followUps.latest('1.2')).toBeUndefined();
  });

  it('when a viewer or a broadcaster tries to publish, or the CSRF token is missing, then nothing is published', async () => {
    for (const name of ['vera', 'bob'] as const) {
      const client = await signedIn(name);
      expect((await client.get('/admin/followups/1.3')).text).toContain('editor');
      const answer = await client.post(
        '/admin/followups/1.3',
        publishForm(await client.token('/admin/followups/1.3')),
      );
      expect(answer.status, name).toBe(403);
    }
    const ed = await signedIn('ed');
    expect((await ed.post('/admin/followups/1.3', publishForm('forged'))).status).toBe(403);
    expect(
      (await new ConsoleClient(running.baseUrl).post('/admin/followups/1.3', publishForm('x'))).status,
    ).toBe(401);
    expect(await running.service.followUp.followUps.latest('1.3')).toBeUndefined();
  });

  it('when a recommendation that does not exist is opened, then the page says so with a 404', async () => {
    const ed = await signedIn('ed');
    expect((await ed.get('/admin/followups/4.99')).status).toBe(404);
    expect((await ed.get('/admin/followups/open?id=4.99')).status).toBe(404);
    const open = await ed.get('/admin/followups/open?id=4.81');
    expect([open.status, open.location]).toEqual([303, '/admin/followups/4.81']);
    expect((await ed.get('/admin/followups/x%3Cscript%3E')).status).toBe(404);
  });
});

describe('the broadcast pages without Redis', () => {
  it('when a broadcaster opens them in the embedded mode, then they say why broadcasts are off and nothing can be sent', async () => {
    const bob = await signedIn('bob');
    const page = await bob.get('/admin/broadcasts');
    expect(page.status).toBe(200);
    expect(page.text).toContain('broadcasts need Redis');
    const token = await bob.token('/admin/followups');
    const send = await bob.post('/admin/broadcasts/send', {
      _csrf: token,
      fr: 'Bonjour',
      audience: 'all',
      id: 'babcdef1234',
    });
    expect(send.status).toBe(409);
  });

  it('when the composer asks for a count, then it gets segments and encoding as the SMS gateway counts them', async () => {
    const bob = await signedIn('bob');
    const token = await bob.token('/admin/followups');
    const count = async (text: string) => {
      const answer = await bob.post('/admin/broadcasts/count', { _csrf: token, text });
      expect(answer.status).toBe(200);
      return JSON.parse(answer.text) as { segments: number; encoding: string; characters: number };
    };
    expect(await count('Bonjour à tous')).toEqual({ characters: 14, segments: 1, encoding: 'GSM-7' });
    expect(await count('a'.repeat(161))).toMatchObject({ segments: 2, encoding: 'GSM-7' });
    expect(await count('Kunnafoni: a fɔra')).toMatchObject({ segments: 1, encoding: 'UCS-2' });
    expect((await bob.post('/admin/broadcasts/count', { _csrf: 'forged', text: 'x' })).status).toBe(403);
  });

  it('when an editor (not a broadcaster) posts a dry run, then it is refused', async () => {
    const ed = await signedIn('ed');
    const token = await ed.token('/admin/followups');
    const answer = await ed.post('/admin/broadcasts/dry-run', {
      _csrf: token,
      fr: 'Bonjour',
      audience: 'all',
    });
    expect(answer.status).toBe(403);
  });
});
