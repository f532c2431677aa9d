import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installTranslations } from '../src/content/localized.js';
import { botHarness, buttonsOf, callback, sent, textMessage, textOf } from './support/telegram.js';
import { realEngine } from './support/telegram.js';

const bm = { language_code: 'bm' };
const dataOf = (call: Parameters<typeof buttonsOf>[0]) => buttonsOf(call).map((b) => String(b.callback_data));

describe('telegram in Bambara', () => {
  beforeAll(() => installTranslations('content/translations', realEngine().corpus, true));
  afterEach(() => installTranslations('content/translations', realEngine().corpus, true));

  it('when /language is sent, then Bambara is offered first under its own name, and choosing it answers in Bambara', async () => {
    const h = botHarness();
    const [chooser] = sent(await h.send(textMessage('/language')));
    expect(
      buttonsOf(chooser)
        .filter((b) => String(b.callback_data).startsWith('l:'))
        .map((b) => b.text),
    ).toEqual(['Bamanankan', 'Français', 'English']);
    const set = await h.send(callback('l:bm'));
    expect(textOf(set.find((c) => c.method === 'editMessageText'))).toContain('Kan: bamanankan.');
    expect(textOf(sent(await h.send(textMessage('/start')))[0])).toContain('I ni ce!');
  });

  it('when the Telegram language is bm, then the bot greets in Bambara with the official letters', async () => {
    const h = botHarness();
    const [greeting] = sent(await h.send(textMessage('/start', bm)));
    expect(textOf(greeting)).toContain('Malidenw cɛ baro');
  });

  it('when a recommendation is opened in Bambara, then our summary shows, marked as ours, with a report-text button', async () => {
    const h = botHarness();
    const [reply] = sent(await h.send(textMessage('2.15', bm)));
    const text = textOf(reply);
    expect(text).toContain('Ladilikan 2.15: kumasurun');
    expect(text).toContain('An ka jɛkulu ka kumasurun don, laselisɛbɛn kuma tɛ.');
    const rec = realEngine().recommendation('2.15')!;
    expect(text).not.toContain(rec.text.slice(0, 40));
    expect(dataOf(reply)).toContain('x:2.15');
    const button = buttonsOf(reply).find((b) => b.callback_data === 'x:2.15')!;
    expect(button.text).toBe('📄 Laselisɛbɛn yɛrɛ (tubabukan)');

    const [full] = sent(await h.send(callback('x:2.15', bm)));
    expect(textOf(full)).toContain(rec.text.slice(0, 40).replace(/&/g, '&amp;').replace(/</g, '&lt;'));
    expect(dataOf(full)).not.toContain('x:2.15');
  });

  it('when a theme is listed in Bambara, then its name and labels are ours in Bambara', async () => {
    const h = botHarness();
    const [themes] = sent(await h.send(textMessage('/barokunw', bm)));
    expect(buttonsOf(themes).map((b) => b.text)).toContain('1. Hɛrɛ ni bɛnɲini');
  });

  it('when drafts are not served, then a Bambara reader gets the French text and labels', async () => {
    installTranslations('content/translations', realEngine().corpus, false);
    const h = botHarness();
    const [reply] = sent(await h.send(textMessage('2.15', bm)));
    expect(textOf(reply)).toContain(realEngine().recommendation('2.15')!.text.slice(0, 30));
    expect(dataOf(reply)).not.toContain('x:2.15');
  });

  it('when English is chosen, then theme names come from en.json and the text says it is the report in French', async () => {
    const h = botHarness();
    const [themes] = sent(await h.send(textMessage('/themes', { language_code: 'en' })));
    expect(buttonsOf(themes).map((b) => b.text)).toContain('1. Peace and reconciliation');
    const [reply] = sent(await h.send(textMessage('2.15', { language_code: 'en' })));
    expect(textOf(reply)).toContain('final report');
  });
});
