import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildAudio } from '../adapters/voice/audio/build.js';
import { createAudioCatalog } from '../adapters/voice/audio/catalog.js';
import { createAudioLibrary } from '../adapters/voice/audio/library.js';
import { planBroadcast } from '../src/broadcast/model.js';
import { loadCorpus } from '../src/content/load.js';
import { installCatalogs, languageCodes } from '../src/i18n/index.js';
import { ConsoleClient, consoleUsers, PASSWORDS } from './support/console.js';
import { writeFakeLanguage } from './support/fake-language.js';
import { describeWithRedis } from './support/redis.js';
import { startService, type RunningService } from './support/service.js';
import { menuItems, newCall, toneSynthesizer } from './support/voice.js';

/**
 * "Adding a language touches only data files" (issue 34), for the parts that used to keep their
 * own list of languages: the voice line, broadcasts and the operators' console. A fourth
 * language (xx, "Testish") is one catalog file in a temporary CATALOG_DIR (test/support/
 * fake-language.ts: messages, a console section, an eSpeak voice) and a lexicon entry; the real
 * service runs on it with Redis (broadcasts need BullMQ). test/languages.test.ts follows the
 * same language through SMS, USSD, Telegram and the simulator.
 */
describeWithRedis('a fourth language from its catalog file only', (redisUrl) => {
  let dir: string;
  let running: RunningService;
  let smsId = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dim-fourth-'));
    const { catalogDir, lexiconFile } = writeFakeLanguage(dir);
    // The voice prompts as start-up synthesis leaves them (a tone per sentence, in every spoken language).
    installCatalogs(catalogDir);
    const audioDir = join(dir, 'audio');
    const corpus = loadCorpus('content/recommendations.json');
    await buildAudio({
      library: createAudioLibrary(audioDir, createAudioCatalog(corpus)),
      synthesizer: toneSynthesizer,
      langs: ['fr', 'xx'],
      only: (ref) => ref.kind === 'prompt',
    });
    running = await startService({
      CATALOG_DIR: catalogDir,
      LEXICON_FILE: lexiconFile,
      AUDIO_DIR: audioDir,
      VOICE_SYNTHESIS: 'off',
      DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `fourth-${process.pid}-${Date.now()}:`,
      CONSOLE_USERS: await consoleUsers(),
      SUBSCRIBERS_KEY: 'x'.repeat(40),
    });
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    installCatalogs();
    rmSync(dir, { recursive: true, force: true });
  });

  async function sms(text: string, from: string): Promise<void> {
    const answer = await fetch(`${running.baseUrl}/sms`, {
      method: 'POST',
      body: new URLSearchParams({ from, to: '36000', text, id: `fourth-${++smsId}` }),
    });
    expect(answer.status).toBe(200);
    await running.service.sms.flush();
  }

  async function signedIn(name: keyof typeof PASSWORDS): Promise<ConsoleClient> {
    const client = new ConsoleClient(running.baseUrl);
    expect((await client.login(name, PASSWORDS[name])).status).toBe(303);
    return client;
  }

  it('when a caller rings the voice line, then the language menu offers it with its synthesised prompts', async () => {
    const items = menuItems(await newCall(running.baseUrl).start());
    expect(items).toContain('xx:prompt:lang.offer');
    expect(items).toContain('fr:prompt:lang.offer');
  });

  it('when someone reading it subscribes by SMS, then a broadcast dry run has a text field and a row for it, with its subscriber', async () => {
    await sms('XX', '+22370011001');
    await sms('ABONNE', '+22370011001');
    const bob = await signedIn('bob');
    const composer = await bob.get('/admin/broadcasts');
    expect(composer.status).toBe(200);
    expect(composer.text).toMatch(/<textarea[^>]*id="text-xx"/);
    expect(composer.text).toContain('value="lang:xx"');
    const token = await bob.token('/admin/broadcasts');
    const dryRun = await bob.post('/admin/broadcasts/dry-run', {
      _csrf: token,
      fr: 'Nouvelles du suivi.',
      xx: 'XX Nouvelles du suivi.',
      audience: 'lang:xx',
    });
    expect(dryRun.status).toBe(200);
    const row = /<tr data-lang="xx">([\s\S]*?)<\/tr>/.exec(dryRun.text)?.[1] ?? '';
    expect(row).toContain('XX Nouvelles du suivi.');
    expect(row).toMatch(/<td>1<\/td>/);
    // The model alone plans every language of the installed catalogs, the fourth included.
    const plan = planBroadcast(
      { messages: { fr: 'a' }, audience: { kind: 'all' } },
      [],
      0,
      () => ({ segments: 1, encoding: 'GSM-7' }),
      0,
    );
    expect(plan.languages.map((l) => l.lang)).toEqual(languageCodes());
    expect(languageCodes()).toContain('xx');
  });

  it('when an operator opens the console in it, then the pages read in its console section and the others link to it', async () => {
    const vera = await signedIn('vera');
    const dashboard = await vera.get('/admin/dashboard?lang=xx');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toMatch(/<html lang="xx">/);
    expect(dashboard.text).toContain('XX Tableau de bord');
    const french = await vera.get('/admin/dashboard');
    expect(french.text).toMatch(/<a href="\/admin\/dashboard\?lang&#61;xx" lang="xx">Testish<\/a>/);
  });
});
