import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/content/load.js';
import { parseIntent } from '../src/core/intents.js';
import {
  answerFollowUp,
  type FollowUpDeps,
  type FollowUpRequest,
  type Person,
} from '../src/followup/turn.js';
import { MemoryFollowUpStore } from '../src/followup/store.js';
import { followUpAnswerLines } from '../src/reply/followup.js';
import { readFileSync } from 'node:fs';
import type { OptOutRegistry } from '../src/ports/index.js';
import { createAddressCipher } from '../src/privacy/address-cipher.js';
import { createSubscriptions } from '../src/subscriptions/service.js';
import { MemorySubscriptionStore } from '../src/subscriptions/store.js';
import { isGsm7 } from '../src/text/gsm7.js';

const corpus = loadCorpus('content/recommendations.json');
const clock = { now: () => Date.parse('2026-01-15T10:00:00Z') };

function setup() {
  const followUps = new MemoryFollowUpStore(clock);
  const store = new MemorySubscriptionStore();
  const stopped = new Set<string>();
  const optOut: OptOutRegistry = {
    has: async (p) => stopped.has(p),
    add: async (p) => void stopped.add(p),
    remove: async (p) => void stopped.delete(p),
    close: async () => {},
  };
  const deps: FollowUpDeps = {
    followUps,
    subscriptions: createSubscriptions({
      store,
      optOut,
      cipher: createAddressCipher('c'.repeat(32)),
      clock,
      themeCount: corpus.themes.length,
    }),
    themeCount: corpus.themes.length,
    recommendationCount: (theme) =>
      corpus.themes.some((t) => t.number === theme)
        ? corpus.recommendations.filter((r) => r.theme === theme).length
        : undefined,
  };
  return { deps, followUps, store, stopped };
}

const sms: Person = { pseudonym: 'p_sms', address: '+22370000001', channel: 'sms', lang: 'fr' };

async function say(deps: FollowUpDeps, text: string, person: Person = sms, lang: 'fr' | 'en' = 'fr') {
  const intent = parseIntent(text);
  let request: FollowUpRequest;
  if (intent.kind === 'subscribe' || intent.kind === 'unsubscribe') request = intent;
  else if (intent.kind === 'followUp')
    request = {
      kind: 'followUp',
      recommendation: intent.recommendation === 'current' ? null : intent.recommendation,
    };
  else throw new Error(`not a follow-up intent: ${text}`);
  return followUpAnswerLines(await answerFollowUp(request, deps, person), lang).join('\n');
}

describe('a follow-up turn, as a text channel runs it', () => {
  it('when SUIVI 2.10 has no entry, then the answer is the honest catalog line', async () => {
    const { deps } = setup();
    expect(await say(deps, 'SUIVI 2.10')).toBe(
      'Suivi de la recommandation 2.10\nAucune information officielle de suivi à ce jour.',
    );
    expect(await say(deps, 'follow 2.10', sms, 'en')).toContain('No official follow-up information to date.');
  });

  it('when an editor published a status, then SUIVI shows it with its source', async () => {
    const { deps, followUps } = setup();
    await followUps.publish('2.10', {
      status: 'in_progress',
      date: '2025-11-03',
      source: 'https://www.primature.gov.ml/communique-2025-11-03',
      editor: 'awa',
    });
    const answer = await say(deps, "où en est l'application de la 2.10 ?");
    expect(answer).toContain('État : En cours (3 novembre 2025)');
    expect(answer).toContain('Source : https://www.primature.gov.ml/communique-2025-11-03');
  });

  it('when a number out of range is asked, then the answer names the valid range', async () => {
    const { deps } = setup();
    expect(await say(deps, 'SUIVI 2.99')).toBe(
      'La recommandation 2.99 n’existe pas : le thème 2 en compte 51 (2.1 à 2.51).',
    );
    expect(await say(deps, 'suivi 9.1')).toBe('Le thème 9 n’existe pas : choisissez 1 à 5.');
  });

  it('when a general follow-up question is asked, then it says what exists and how many entries', async () => {
    const { deps } = setup();
    expect(await say(deps, 'mise en oeuvre')).toContain('0 recommandation a une information de suivi.');
  });

  it('when a person subscribes, unsubscribes, says STOP and subscribes again, then STOP wins', async () => {
    const { deps, store, stopped } = setup();
    expect(await say(deps, 'ABONNE T3')).toMatch(/nouvelles du thème 3/);
    expect((await store.get('p_sms'))?.themes).toEqual([3]);
    expect(await say(deps, 'ABONNE T9')).toMatch(/Le thème 9 n’existe pas/);
    expect(await say(deps, 'DESABONNE')).toMatch(/ne recevrez plus les nouvelles/);
    expect(await store.get('p_sms')).toBeUndefined();
    expect(await say(deps, 'DESABONNE')).toMatch(/n’étiez pas abonné/);
    stopped.add('p_sms');
    expect(await say(deps, 'abonne')).toMatch(/Vous avez envoyé STOP/);
    expect(await store.get('p_sms')).toBeUndefined();
  });

  it('when ABONNE comes from a channel that cannot receive broadcasts, then it says news are not sent there and how to follow', async () => {
    const { deps } = setup();
    expect(await say(deps, 'ABONNE', { ...sms, channel: undefined })).toBe(
      'Les nouvelles ne sont pas encore envoyées ici. Pour savoir où en est une recommandation, envoyez SUIVI et son numéro (ex. SUIVI 2.10).',
    );
    expect(await say({ ...deps, subscriptions: undefined }, 'SUBSCRIBE', sms, 'en')).toBe(
      'News is not sent here yet. To know where a recommendation stands, send FOLLOW and its number (e.g. FOLLOW 2.10).',
    );
  });

  it('when the follow-up strings are read, then every one is GSM-7 (no SMS goes UCS-2 for them)', () => {
    const prefixes = ['followup.', 'subscribe.', 'unsubscribe.', 'broadcast.'];
    for (const lang of ['fr', 'en']) {
      const { messages } = JSON.parse(readFileSync(`content/i18n/${lang}.json`, 'utf8')) as {
        messages: Record<string, string>;
      };
      const keys = Object.keys(messages).filter((key) => prefixes.some((p) => key.startsWith(p)));
      expect(keys.length, lang).toBeGreaterThan(20);
      // Typographic spaces and apostrophes go out as their GSM-7 forms; no letter may need UCS-2.
      for (const key of keys)
        expect(
          isGsm7(messages[key]!.replace(/[\u00a0\u202f]/g, ' ').replace(/’/g, "'")),
          `${key} ${lang}`,
        ).toBe(true);
    }
  });
});
