import { describe, expect, it } from 'vitest';
import { parseIntent } from '../src/core/intents.js';
import { fold } from '../src/core/normalize.js';
import { isSmallTalk } from '../src/core/small-talk.js';

/**
 * Small talk as people send it: a greeting or thanks together with words that say nothing of a
 * subject ("bonjour monsieur", "ok merci bcp"), Bambara greetings, emoji around the words.
 */
describe('small talk made of several social words', () => {
  it.each([
    'bonjour monsieur',
    'Bonsoir à tous',
    'salut ça va ?',
    'ok merci bcp',
    "d'accord merci",
    'merci pour les infos 🙏',
    'bonne soirée',
    'Dieu merci',
    'good afternoon',
    'bsr mon frère',
    'ok c noté',
    'salam aleykoum',
    'i ni ce i ka kɛnɛ wa',
    'aw ni ce kosɛbɛ',
    'tɔɔrɔ si tɛ',
    'owo',
    'ayi',
  ])('when %j is sent, then it is small talk, not a search', (text) => {
    expect(parseIntent(text)).toEqual({ kind: 'smallTalk' });
  });

  it.each([
    'merci pour les femmes',
    'bonjour, je veux savoir sur la paix',
    'bonne gouvernance',
    'ok eau potable',
    'i ni ce, sɛnɛ',
  ])('when %j names a subject, then it stays a search', (text) => {
    expect(parseIntent(text).kind).toBe('search');
  });

  it('when only words that go with a greeting are sent, without a greeting or thanks, then it is not small talk', () => {
    expect(isSmallTalk(fold('pour les infos'))).toBe(false);
    expect(isSmallTalk(fold('monsieur'))).toBe(false);
    expect(isSmallTalk('')).toBe(false);
  });

  it('when a long message is all social words, then it is still small talk up to twelve words, then a search', () => {
    expect(isSmallTalk(fold('merci beaucoup monsieur merci beaucoup mon frère'))).toBe(true);
    expect(isSmallTalk(fold('merci '.repeat(13)))).toBe(false);
  });
});
