import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSms } from '../adapters/sms/render.js';
import { countSegments } from '../adapters/sms/segments.js';
import { violations } from '../adapters/whatsapp/limits.js';
import { createWhatsAppRenderer } from '../adapters/whatsapp/render.js';
import { loadCorpus } from '../src/content/load.js';
import { createEngine } from '../src/core/engine.js';
import { languages, t } from '../src/i18n/index.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';
import { gsm7Length, isGsm7 } from '../src/text/gsm7.js';
import { longestFollowUp } from './support/followup.js';
import { startService, type RunningService } from './support/service.js';
import { AtSession } from './support/ussd.js';

/**
 * Every channel limit still holds when each of the 300 recommendations carries the longest
 * follow-up an editor can publish (see support/followup.ts), in every language.
 */
const corpus = loadCorpus('content/recommendations.json');
const engine = createEngine(corpus, createSearcher(corpus, loadLexicon('content/lexicon.json')), {
  followUp: longestFollowUp,
});
const LANGS = languages().map((language) => language.code);

describe('the longest follow-up under every recommendation', () => {
  it('when each of the 300 is rendered by SMS in every language and budget, then every page is GSM-7 within budget and shows the status', () => {
    for (const lang of LANGS) {
      const status = t(lang, 'followup.status.in_progress');
      for (const maxSegments of [1, 3]) {
        for (const { id } of corpus.recommendations) {
          const reply = engine.respond({
            kind: 'recommendation',
            theme: Number(id.split('.')[0]),
            number: Number(id.split('.')[1]),
          });
          expect(reply.kind === 'recommendation' && reply.followUp?.version).toBe(99);
          const pages = renderSms(reply, lang, { maxSegments, engine });
          for (const page of pages) {
            expect(isGsm7(page), page).toBe(true);
            expect(countSegments(page).segments, page).toBeLessThanOrEqual(maxSegments);
          }
          // Bambara's catalog may keep ɛ/ɔ in a status; SMS writes them as GSM-7 letters.
          if (lang !== 'bm') expect(pages.join(' ').replace(/\s+/g, ' ')).toContain(status);
        }
      }
    }
  }, 120_000);

  it('when each of the 300 is rendered on WhatsApp in every language, then every message passes the limits checker', () => {
    const renderer = createWhatsAppRenderer(engine);
    for (const lang of LANGS) {
      for (const recommendation of corpus.recommendations) {
        const theme = engine.theme(recommendation.theme)!;
        const messages = renderer.render({ kind: 'recommendation', recommendation, theme }, lang);
        for (const message of messages) expect(violations(message)).toEqual([]);
        expect(JSON.stringify(messages)).toContain('Charte');
      }
    }
  });
});

describe('USSD with a follow-up under every recommendation (real HTTP)', () => {
  let running: RunningService;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dim-fu-limits-'));
    running = await startService({ DATA_DIR: dir });
    const { source } = longestFollowUp('x');
    for (const { id } of corpus.recommendations) {
      await running.service.followUp.followUps.publish(id, {
        status: 'announced',
        date: '2025-08-07',
        source,
        note: '',
        editor: 'Editor',
      });
    }
    await running.service.followUpSnapshot.refresh();
  });
  afterAll(async () => {
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when each of the 300 is read to its last page, then every screen is GSM-7 within USSD_MAX_CHARS and the follow-up is on them', async () => {
    const max = running.config.USSD_MAX_CHARS;
    const announced = t('fr', 'followup.status.announced');
    for (const { id } of corpus.recommendations) {
      const session = new AtSession(running.baseUrl);
      let answer = await session.dial('3', id.replace('.', ''));
      const screens = [answer.screen];
      while (answer.lines.some((line) => line.startsWith('98 ')) && screens.length < 12) {
        answer = await session.type('98');
        screens.push(answer.screen);
      }
      for (const screen of screens) {
        expect(isGsm7(screen), screen).toBe(true);
        expect(gsm7Length(screen), screen).toBeLessThanOrEqual(max);
      }
      // A long source pages like the report's text, but "Suivi :" is never cut from its status.
      expect(screens.join('\n'), id).toContain(`Suivi : ${announced}`);
    }
  }, 120_000);
});
