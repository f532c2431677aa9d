import { describe, expect, it } from 'vitest';
import { parseIntent } from '../src/core/intents.js';

/**
 * Small talk as people send it: a greeting or thanks together with words that say nothing of a
 * subject ("bonjour monsieur", "ok merci bcp"), Bambara greetings, emoji around the words. Each
 * kind gets its own answer (issue 29): a greeting is greeted, thanks welcomed, "ok" acknowledged.
 */
describe('small talk made of several social words', () => {
  it.each([
    ['bonjour monsieur', 'greeting'],
    ['Bonsoir à tous', 'greeting'],
    ['salut ça va ?', 'greeting'],
    ['bonne soirée', 'greeting'],
    ['good afternoon', 'greeting'],
    ['bsr mon frère', 'greeting'],
    ['salam aleykoum', 'greeting'],
    ['i ni ce i ka kɛnɛ wa', 'greeting'],
    ['aw ni ce kosɛbɛ', 'greeting'],
    ['ok merci bcp', 'thanks'],
    ["d'accord merci", 'thanks'],
    ['merci pour les infos 🙏', 'thanks'],
    ['Dieu merci', 'thanks'],
    ['a barika', 'thanks'],
    ['ok c noté', 'ack'],
    ['tɔɔrɔ si tɛ', 'ack'],
    ['owo', 'ack'],
    ['ayi', 'ack'],
    ['👍🏾', 'ack'],
  ])('when %j is sent, then it is small talk (%s), not a search', (text, what) => {
    expect(parseIntent(text)).toEqual({ kind: 'smallTalk', what });
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
    expect(parseIntent('pour les infos').kind).toBe('about');
    expect(parseIntent('monsieur').kind).toBe('search');
  });

  it('when a greeting comes with a command, then the command is answered', () => {
    expect(parseIntent('bonjour, aide moi svp')).toEqual({ kind: 'help' });
    expect(parseIntent('salut, la suite')).toEqual({ kind: 'next' });
  });
});
