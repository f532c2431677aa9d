import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wavHeader } from '../adapters/voice/audio/wav.js';
import { loadConfig } from '../src/config.js';
import { ConsoleClient, PASSWORDS, consoleUsers } from './support/console.js';
import { startService, type RunningService } from './support/service.js';

/**
 * The studio's guard (the console's login, the recorder role), CSRF check and recording checks,
 * over HTTP (the page itself: voice-studio.browser.test.ts).
 */

/** 16-bit PCM at 16 kHz: a tone of `amplitude` (0..1) lasting `seconds`. */
function tone(seconds: number, amplitude: number): Buffer {
  const rate = 16000;
  const data = Buffer.alloc(Math.round(seconds * rate) * 2);
  for (let i = 0; i < data.length / 2; i++)
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 300 * i) / rate) * amplitude * 32767), i * 2);
  return Buffer.concat([wavHeader(data.length, rate), data]);
}

describe('the studio is off without operator accounts', () => {
  it('when CONSOLE_USERS is unset, then /studio does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dim-studio-off-'));
    const running = await startService({ AUDIO_DIR: dir, LOG_LEVEL: 'silent' });
    try {
      expect((await fetch(`${running.baseUrl}/studio/`)).status).toBe(404);
    } finally {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when STUDIO_USERS (the old basic-auth list) is still set, then start-up is refused with the way to move it', () => {
    expect(() => loadConfig({ STUDIO_USERS: 'moussa:scrypt$abc$def' })).toThrow(
      /STUDIO_USERS.*CONSOLE_USERS=name:recorder/,
    );
  });
});

describe('the studio API', () => {
  let dir: string;
  let running: RunningService;
  let token: string;
  let cookie: string;
  let rita: ConsoleClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dim-studio-api-'));
    running = await startService({
      AUDIO_DIR: dir,
      LOG_LEVEL: 'silent',
      CONSOLE_USERS: await consoleUsers(),
    });
    rita = new ConsoleClient(running.baseUrl);
    token = await rita.studio('rita', PASSWORDS.rita);
    cookie = rita.cookie;
  });
  afterAll(async () => {
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = (body: Buffer, headers: Record<string, string> = {}, path = 'fr/prompt/welcome') =>
    fetch(`${running.baseUrl}/studio/api/draft/${path}`, {
      method: 'POST',
      headers: {
        cookie,
        'x-csrf-token': token,
        'content-type': 'audio/wav',
        ...headers,
      },
      body,
    });

  it('when nobody is signed in, then the page leads to the console sign-in and back, and the API answers 401', async () => {
    const page = await fetch(`${running.baseUrl}/studio/`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/admin/login?next=%2Fstudio%2F');
    const basic = `Basic ${Buffer.from(`rita:${PASSWORDS.rita}`).toString('base64')}`;
    for (const headers of [{}, { authorization: basic }] as Array<Record<string, string>>) {
      expect((await fetch(`${running.baseUrl}/studio/api/items?lang=fr`, { headers })).status).toBe(401);
    }
  });

  it('when an operator whose role does not record signs in, then the studio is refused (403)', async () => {
    const vera = new ConsoleClient(running.baseUrl);
    expect((await vera.login('vera', PASSWORDS.vera)).status).toBe(303);
    expect((await vera.get('/studio/')).status).toBe(403);
    expect((await vera.get('/studio/api/items?lang=fr')).status).toBe(403);
  });

  it('when the page is served, then the session cookie is HttpOnly and SameSite=Strict, and the microphone is allowed here only', async () => {
    expect(rita.setCookie).toMatch(/HttpOnly/);
    expect(rita.setCookie).toMatch(/SameSite=Strict/);
    const res = await fetch(`${running.baseUrl}/studio/`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('permissions-policy')).toContain('microphone=(self)');
    expect((await fetch(`${running.baseUrl}/healthz`)).headers.get('permissions-policy')).toContain(
      'microphone=()',
    );
  });

  it('when a POST lacks the token, carries another, or comes from another origin, then 403 and nothing is stored', async () => {
    const body = tone(1, 0.5);
    expect((await upload(body, { 'x-csrf-token': '' })).status).toBe(403);
    expect((await upload(body, { 'x-csrf-token': 'forged' })).status).toBe(403);
    expect((await upload(body, { origin: 'https://evil.example' })).status).toBe(403);
    const items = (await (
      await fetch(`${running.baseUrl}/studio/api/items?lang=fr`, { headers: { cookie } })
    ).json()) as {
      items: Array<{ key: string; draft: boolean }>;
    };
    expect(items.items.find((i) => i.key === 'welcome')!.draft).toBe(false);
  });

  it.each([
    ['silence', tone(2, 0), 'silent'],
    ['a click', tone(0.1, 0.5), 'tooShort'],
    ['a prompt of two minutes', tone(61, 0.5), 'tooLong'],
    ['an MP3 sent as WAV', Buffer.from('ID3\u0004\u0000 not really a wav'), 'format'],
  ])('when %s is uploaded, then 422 says why', async (_name, body, reason) => {
    const res = await upload(body);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toBe(reason);
  });

  it('when a quiet but audible take is uploaded, then the draft is 8 kHz mono, normalised, and only published on request', async () => {
    const res = await upload(tone(2, 0.05));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { draft: string; durationSeconds: number };
    expect(body.durationSeconds).toBeCloseTo(2, 1);
    expect((await fetch(`${running.baseUrl}/audio/fr/prompt/welcome.wav`)).status).toBe(404);
    const publish = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${running.baseUrl}/studio/api/publish/${path}`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': token, ...headers },
      });
    expect((await publish('fr/prompt/welcome', { 'x-csrf-token': 'x' })).status).toBe(403);
    expect((await publish('fr/prompt/goodbye')).status).toBe(404);
    expect((await publish('fr/prompt/welcome')).status).toBe(200);
    const audio = await fetch(`${running.baseUrl}/audio/fr/prompt/welcome.wav`);
    expect(audio.headers.get('x-audio-source')).toBe('recording');
    const bytes = Buffer.from(await audio.arrayBuffer());
    let peak = 0;
    for (let i = 44; i + 1 < bytes.length; i += 2) peak = Math.max(peak, Math.abs(bytes.readInt16LE(i)));
    // Raised from 5 % of full scale to -3 dBFS.
    expect(peak / 32768).toBeGreaterThan(0.65);
    // Both steps are in the console's audit log, under the recorder's name.
    const audit = await running.service.consoleRecords!.auditLog();
    expect(audit.map((e) => `${e.who} ${e.action} ${e.detail}`)).toEqual(
      expect.arrayContaining([
        'rita studio.draft fr/prompt/welcome',
        'rita studio.publish fr/prompt/welcome',
      ]),
    );
  });

  it('when an item that does not exist is named, then 404', async () => {
    expect((await upload(tone(1, 0.5), {}, 'fr/rec/9.99')).status).toBe(404);
    expect((await upload(tone(1, 0.5), {}, 'xx/prompt/welcome')).status).toBe(404);
  });
});

describe('a studio upload answered by the deadline', () => {
  it('when the request deadline answers 503 while the take is processed, then the draft is not replaced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dim-studio-late-'));
    // The shortest deadline the configuration allows: a five-minute take takes longer than that.
    const running = await startService({
      AUDIO_DIR: dir,
      LOG_LEVEL: 'info',
      REQUEST_TIMEOUT_MS: '100',
      CONSOLE_USERS: await consoleUsers(),
    });
    try {
      const rita = new ConsoleClient(running.baseUrl);
      const token = await rita.studio('rita', PASSWORDS.rita);
      const res = await fetch(`${running.baseUrl}/studio/api/draft/fr/rec/2.15`, {
        method: 'POST',
        headers: { cookie: rita.cookie, 'x-csrf-token': token, 'content-type': 'audio/wav' },
        body: tone(300, 0.5),
      });
      expect(res.status).toBe(503);
      // Wait for the processing to end, whichever way it ends (the log says), then look.
      const ended = /studio: (draft saved|upload finished after its deadline)/;
      for (let i = 0; i < 600 && !ended.test(running.logs.text); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(running.logs.text).toMatch(ended);
      const items = (await (
        await fetch(`${running.baseUrl}/studio/api/items?lang=fr`, { headers: { cookie: rita.cookie } })
      ).json()) as { items: Array<{ key: string; draft: boolean }> };
      expect(items.items.find((i) => i.key === '2.15')!.draft).toBe(false);
    } finally {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
