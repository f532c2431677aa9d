import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Corpus } from '../src/content/schema.js';
import { t } from '../src/i18n/index.js';
import { toGsm7 } from '../src/text/gsm7.js';

/**
 * `npm run chat` through its stdin and stdout: the script starts the real service in-process
 * and talks to it over POST /ussd, POST /sms and GET /dev/outbox.
 */
const corpus = JSON.parse(readFileSync('content/recommendations.json', 'utf8')) as Corpus;
const rec215 = corpus.recommendations.find((r) => r.id === '2.15')!;
const opening215 = toGsm7(rec215.text.split(/\s+/).slice(0, 6).join(' '));
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
const SCREEN_END = /\[(CON|END) \d+\/\d+\]/g;

function startChat(channel: 'ussd' | 'sms'): {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn('npx', ['tsx', 'scripts/chat.ts', '--channel', channel], {
    cwd: process.cwd(),
    env: { ...process.env, NODE_ENV: 'test' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit').then(([code]) => {
    if (code !== 0) process.stderr.write(`chat stderr:\n${stderr}\n`);
    return code as number | null;
  });
  return { child, out: () => stdout, exited };
}

/** Resolves with the stdout once it holds `count` USSD screens. */
async function screens(out: () => string, count: number, timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = out();
    const ends = [...text.matchAll(SCREEN_END)];
    if (ends.length >= count) {
      const parts: string[] = [];
      let start = 0;
      for (const match of ends) {
        parts.push(text.slice(start, match.index));
        start = match.index + match[0].length;
      }
      return parts;
    }
    if (Date.now() > deadline) throw new Error(`waited for ${count} screens, got:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function keyFor(screen: string, label: string): string {
  const wanted = toGsm7(label).toLowerCase();
  for (const line of screen.split('\n')) {
    const m = /^(\d{1,2})\s+(.+)$/.exec(line.trim());
    if (m && m[2]!.toLowerCase().startsWith(wanted)) return m[1]!;
  }
  throw new Error(`no choice "${label}" on:\n${screen}`);
}

describe('the terminal chat', () => {
  it('when driven line by line over USSD, then it shows the menu, opens theme 2, reads 2.15, and /quit exits 0', async () => {
    const { child, out, exited } = startChat('ussd');
    const [home] = await screens(out, 1);
    expect(home).toContain(toGsm7(t('fr', 'ussd.home.themes')));
    child.stdin.write(`${keyFor(home!, t('fr', 'ussd.home.themes'))}\n`);
    const themes = (await screens(out, 2))[1]!;
    child.stdin.write(`${keyFor(themes, corpus.themes[1]!.short)}\n`);
    await screens(out, 3);
    child.stdin.write('15\n');
    const rec = (await screens(out, 4))[3]!;
    expect(rec).toContain('2.15');
    expect(squash(rec)).toContain(squash(opening215));
    child.stdin.write('/quit\n');
    expect(await exited).toBe(0);
    expect(out()).toContain(t('fr', 'web.chat.bye'));
  }, 90_000);

  it('when every USSD line is piped at once and stdin ends, then all of them are answered and it exits 0', async () => {
    // Learn the menu keys from the catalog's labels on a first run, then pipe them blind.
    const probe = startChat('ussd');
    const [home] = await screens(probe.out, 1);
    const themesKey = keyFor(home!, t('fr', 'ussd.home.themes'));
    probe.child.stdin.write(`${themesKey}\n`);
    const themeKey = keyFor((await screens(probe.out, 2))[1]!, corpus.themes[1]!.short);
    probe.child.stdin.end();
    expect(await probe.exited).toBe(0);

    const { child, out, exited } = startChat('ussd');
    child.stdin.end(`${themesKey}\n${themeKey}\n15\n`);
    expect(await exited).toBe(0);
    const all = out();
    expect([...all.matchAll(SCREEN_END)]).toHaveLength(4);
    expect(squash(all)).toContain(squash(opening215));
    expect(all).toContain(t('fr', 'web.chat.bye'));
  }, 90_000);

  it('when SMS lines are piped and stdin ends, then each reply from the outbox is printed with its segments and encoding, and it exits 0', async () => {
    const { child, out, exited } = startChat('sms');
    child.stdin.end('eau\n2.15\n');
    expect(await exited).toBe(0);
    const all = out();
    expect(all).toContain(t('fr', 'web.chat.smsBanner', { shortcode: '36000' }));
    const meta = new RegExp(
      t('fr', 'web.chat.smsMeta', { segments: '\u0000', encoding: '\u0001' })
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace('\u0000', '(\\d+)')
        .replace('\u0001', '(GSM-7|UCS-2)'),
      'g',
    );
    const metas = [...all.matchAll(meta)];
    expect(metas).toHaveLength(2);
    const [, afterEau = '', after215 = ''] = all.split(/^> .*$/m);
    expect(afterEau).toMatch(/\d\.\d{1,2}/);
    expect(squash(after215)).toContain(squash(opening215));
  }, 90_000);
});
