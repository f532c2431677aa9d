import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from './support/service.js';
import { startRedisServer } from './support/redis-server.js';

describe('the service, embedded defaults', () => {
  let running: RunningService;
  beforeAll(async () => {
    running = await startService();
  });
  afterAll(() => running.close());

  it('when /healthz is asked, then it answers 200', async () => {
    const res = await fetch(`${running.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('when /readyz is asked with the content loaded and the memory store, then it is ready', async () => {
    const res = await fetch(`${running.baseUrl}/readyz`);
    const body = (await res.json()) as { status: string; checks: Array<{ name: string; ok: boolean }> };
    expect(res.status).toBe(200);
    expect(body.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['content', 'store']));
  });

  it('when an unknown path is asked, then it gets a JSON 404', async () => {
    const res = await fetch(`${running.baseUrl}/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found' });
  });
});

describe('readiness with Redis', () => {
  it('when the configured Redis is down, then /readyz answers 503 naming the store, promptly', async () => {
    const redis = await startRedisServer();
    const running = await startService({ REDIS_URL: redis.url });
    try {
      expect((await fetch(`${running.baseUrl}/readyz`)).status).toBe(200);
      await redis.stop();
      const res = await fetch(`${running.baseUrl}/readyz`);
      const body = (await res.json()) as { checks: Array<{ name: string; ok: boolean }> };
      expect(res.status).toBe(503);
      expect(body.checks.find((c) => c.name === 'store')?.ok).toBe(false);
    } finally {
      await running.close();
    }
  });
});

describe('the process entry', () => {
  const runMain = (env: Record<string, string>) =>
    spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('when a variable is invalid, then main exits 1 naming it', async () => {
    const child = runMain({ PORT: 'not-a-port', USSD_MAX_CHARS: '9999' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('USSD_MAX_CHARS');
  });

  it(
    'when the corpus, the lexicon or a language catalog is broken, then main exits 1 naming the file and the problem',
    { timeout: 60_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'dim-broken-'));
      const corpus = JSON.parse(readFileSync('content/recommendations.json', 'utf8')) as {
        recommendations: Array<{ text: string }>;
      };
      corpus.recommendations[20]!.text = '';
      writeFileSync(join(dir, 'corpus.json'), JSON.stringify(corpus));
      writeFileSync(join(dir, 'lexicon.json'), '{ not json');
      // A catalog whose text lost a placeholder French has.
      mkdirSync(join(dir, 'i18n'));
      cpSync('content/i18n', join(dir, 'i18n'), { recursive: true });
      const en = JSON.parse(readFileSync('content/i18n/en.json', 'utf8')) as {
        messages: Record<string, string>;
      };
      en.messages['search.notInReport'] = 'The report does not speak of it.';
      writeFileSync(join(dir, 'i18n', 'en.json'), JSON.stringify(en));
      for (const [env, expected] of [
        [{ CONTENT_FILE: join(dir, 'corpus.json') }, /recommendation 1\.21/],
        [{ LEXICON_FILE: join(dir, 'lexicon.json') }, /lexicon\.json: not valid JSON/],
        [
          { CATALOG_DIR: join(dir, 'i18n') },
          /en\.json: search\.notInReport: placeholders \(none\) differ from French \{query\}/,
        ],
      ] as const) {
        const child = runMain({ PORT: '0', DATA_DIR: dir, ...env });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const [code] = await once(child, 'exit');
        expect(code).toBe(1);
        expect(stderr).toMatch(expected);
        expect(stderr).not.toMatch(/\n\s+at /);
      }
    },
  );

  it('when SIGTERM arrives during a request, then the request finishes and the process exits 0', async () => {
    const child = runMain({ PORT: '0', LOG_LEVEL: 'info' });
    let stdout = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /"port":(\d+)/.exec(stdout);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', () => reject(new Error(`exited early: ${stdout}`)));
    });
    // A request whose headers are still arriving when the signal lands must still be answered.
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
    socket.write('Connection: close\r\n\r\n');
    await once(socket, 'close');
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(stdout).toContain('shutting down');
  });
});
