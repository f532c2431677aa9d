import { describe, expect, it } from 'vitest';
import { botHarness, buttonsOf, sent, textMessage, textOf } from './support/telegram.js';

/** Issue 12's new search answers as the Telegram bot renders them (fake Bot API, real engine). */
describe('telegram: search answers of issue 12', () => {
  it('when "merci" is sent, then one short reply says what the service covers', async () => {
    const h = botHarness();
    const [reply] = sent(await h.send(textMessage('merci')));
    expect(textOf(reply)).toMatch(/300 recommandations/);
  });

  it('when a subject the report never names is sent, then the bot says so and lists nothing', async () => {
    const h = botHarness();
    const [reply] = sent(await h.send(textMessage('Wagner')));
    expect(textOf(reply)).toMatch(/ne parle pas de/);
    expect(buttonsOf(reply).some((b) => String(b.callback_data).startsWith('r:'))).toBe(false);
  });

  it('when a topic word is sent, then the first button opens its theme', async () => {
    const h = botHarness();
    const [reply] = sent(await h.send(textMessage('insécurité')));
    const first = buttonsOf(reply)[0]!;
    expect(String(first.text)).toMatch(/thème 4/);
    expect(first.callback_data).toBe('t:4:0');
  });

  it('when the words only match loosely, then the list is titled as close results', async () => {
    const h = botHarness();
    const [reply] = sent(await h.send(textMessage('la justice est lente')));
    expect(textOf(reply)).toMatch(/Résultats proches/);
  });
});
