import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wavHeader } from '../adapters/voice/audio/wav.js';
import { hashStudioPassword } from '../adapters/voice/studio/auth.js';
import { loadConfig } from '../src/config.js';
import { startService, type RunningService } from './support/service.js';

/** The studio's guard, CSRF check and recording checks, over HTTP (the page itself: voice-studio.browser.test.ts). */

const USER = 'moussa';
const PASSWORD = 'studio-bamako-2024';
const auth = (user = USER, password = PASSWORD) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** 16-bit PCM at 16 kHz: a tone of `amplitude` (0..1) lasting `seconds`. */
function tone(seconds: number, amplitude: number): Buffer {
  const rate = 16000;
  const data = Buffer.alloc(Math.round(seconds * rate) * 2);
  for (let i = 0; i < data.length / 2; i++)
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 300 * i) / rate) * amplitude * 32767), i * 2);
  return Buffer.concat([wavHeader(data.length, rate), data]);
}

describe('the studio is off without operator authentication', () => {
  it('when STUDIO_USERS is unset, then /studio does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dim-studio-off-'));
    const running = await startService({ AUDIO_DIR: dir, LOG_LEVEL: 'silent' });
    try {
      expect((await fetch(`${running.baseUrl}/studio/`)).status).toBe(404);
    } finally {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when STUDIO_USERS is malformed, then the configuration is refused at start-up', () => {
    expect(() => loadConfig({ STUDIO_USERS: 'moussa:plaintext' })).toThrow(/STUDIO_USERS/);
  });
});

describe('the studio API', () => {
  let dir: string;
  let running: RunningService;
  let token: string;
  let cookie: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dim-studio-api-'));
    running = await startService({
      AUDIO_DIR: dir,
      LOG_LEVEL: 'silent',
      STUDIO_USERS: `${USER}:${hashStudioPassword(PASSWORD)}`,
    });
    const page = await fetch(`${running.baseUrl}/studio/`, { headers: { authorization: auth() } });
    token = /name="csrf-token" content="([^"]+)"/.exec(await page.text())![1]!;
    cookie = page.headers.get('set-cookie')!.split(';')[0]!;
  });
  afterAll(async () => {
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = (body: Buffer, headers: Record<string, string> = {}, path = 'fr/prompt/welcome') =>
    fetch(`${running.baseUrl}/studio/api/draft/${path}`, {
      method: 'POST',
      headers: {
        authorization: auth(),
        cookie,
        'x-csrf-token': token,
        'content-type': 'audio/wav',
        ...headers,
      },
      body,
    });

  it('when no or wrong credentials are given, then 401 with a basic-auth challenge', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: auth(USER, 'wrong-password') },
      { authorization: auth('nobody', PASSWORD) },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${running.baseUrl}/studio/api/items?lang=fr`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="studio"/);
    }
  });

  it('when the page is served, then the CSRF cookie is HttpOnly and SameSite=Strict, and the microphone is allowed here only', async () => {
    const res = await fetch(`${running.baseUrl}/studio/`, { headers: { authorization: auth() } });
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/);
    expect(res.headers.get('set-cookie')).toMatch(/SameSite=Strict/);
    expect(res.headers.get('permissions-policy')).toContain('microphone=(self)');
    expect((await fetch(`${running.baseUrl}/healthz`)).headers.get('permissions-policy')).toContain(
      'microphone=()',
    );
  });

  it('when a POST lacks the token, carries another, or comes from another origin, then 403 and nothing is stored', async () => {
    const body = tone(1, 0.5);
    expect((await upload(body, { 'x-csrf-token': '' })).status).toBe(403);
    expect((await upload(body, { 'x-csrf-token': 'forged' })).status).toBe(403);
    expect(
      (await upload(body, { cookie: 'studio_csrf=forged', 'x-csrf-token': 'forged-but-other' })).status,
    ).toBe(403);
    expect((await upload(body, { origin: 'https://evil.example' })).status).toBe(403);
    const items = (await (
      await fetch(`${running.baseUrl}/studio/api/items?lang=fr`, { headers: { authorization: auth() } })
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
        headers: { authorization: auth(), cookie, 'x-csrf-token': token, ...headers },
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
  });

  it('when an item that does not exist is named, then 404', async () => {
    expect((await upload(tone(1, 0.5), {}, 'fr/rec/9.99')).status).toBe(404);
    expect((await upload(tone(1, 0.5), {}, 'xx/prompt/welcome')).status).toBe(404);
  });
});
