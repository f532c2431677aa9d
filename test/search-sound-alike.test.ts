import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/content/load.js';
import { createEngine } from '../src/core/engine.js';
import type { Reply } from '../src/core/types.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';
import { namesApart } from '../src/search/names.js';
import { standsFor } from '../src/search/sound-alike.js';
import { stem } from '../src/search/text.js';

/**
 * The index reads a word by its stem as it sounds, so "quitter" and Kita (a town on 4.80's
 * list of roads) met on the key "kit": "quitter" alone opened 4.80, and a forwarded "le Mali va
 * quitter la CEDEAO" echoed "kita". A word the report does not use is read by a key only when it
 * stands for one of the key's words.
 */
const corpus = loadCorpus('content/recommendations.json');
const engine = createEngine(corpus, createSearcher(corpus, loadLexicon('content/lexicon.json')));
const shown = (reply: Reply): string[] =>
  reply.kind === 'recommendation'
    ? [reply.recommendation.id]
    : reply.kind === 'searchResults'
      ? reply.hits.map((hit) => hit.recommendation.id)
      : [];
const ask = (query: string) => engine.respond({ kind: 'search', query });

describe('search: a word that only sounds like one of the report', () => {
  it.each([
    ['quitter', '4.80', 'kita'],
    ['je veux quitter', '4.80', 'kita'],
    ['on quitte le pays', '4.80', 'kita'],
    ['quitter la cedeao', '4.80', 'kita'],
    ['je ne connais pas', '2.12', 'kone'],
  ])('when "%s" is searched, then %s is not offered for the name %s', (query, id, name) => {
    const reply = ask(query);
    expect(shown(reply)).not.toContain(id);
    expect(JSON.stringify(reply).toLowerCase()).not.toContain(name);
  });

  it('when a forwarded post says the Mali will leave ECOWAS, then it finds the ECOWAS recommendations, with the words it read', () => {
    const reply = ask("*Le Mali va quitter la CEDEAO et renforcer l'AES* disent les recommandations. Vrai ?");
    expect(reply.kind).toBe('searchResults');
    expect(shown(reply).slice(0, 5)).toContain('5.26');
    expect(reply.kind === 'searchResults' && reply.echo).not.toMatch(/kita/i);
  });

  it.each([
    ['kita', '4.80'],
    ['quidal', '4.80'],
    ['fosfate', '3.23'],
  ])(
    'when the name or a spelling of a word of the report, "%s", is searched, then %s is still found',
    (query, id) => {
      expect(shown(ask(query)).slice(0, 3)).toContain(id);
    },
  );

  it('when forms and spellings of a word are asked, then they stand for it; another word of the same sound does not', () => {
    expect(standsFor('securiter', ['securite'])).toBe(true);
    expect(standsFor('koranique', ['coranique'])).toBe(true);
    expect(standsFor('quidal', ['kidal'])).toBe(true);
    expect(standsFor('administratif', ['administration'])).toBe(true);
    expect(standsFor('kidl', ['kidal'])).toBe(true); // a typo
    expect(standsFor('travailleuse', ['travail'])).toBe(true);
    expect(standsFor('menaient', ['mener'])).toBe(true);
    expect(standsFor('quitter', ['kita'])).toBe(false);
    // A name is not the start of a longer word.
    expect(standsFor('connais', ['konna'], new Set(['konna']))).toBe(false);
    expect(standsFor('konnaa', ['konna'], new Set(['konna']))).toBe(true);
    expect(standsFor('quitter', [])).toBe(false);
  });
});

describe('search: two names, or a name and a word, that one stem merged', () => {
  it.each([
    ['konna', '4.80', '2.12'],
    ['kone', '2.12', '4.80'],
    ['menaka', '4.80', '4.76'],
    ['menakka', '4.80', '4.76'],
    ['menace', '4.76', '4.80'],
  ])('when "%s" is searched, then %s is found and %s is not', (query, found, not) => {
    const ids = shown(ask(query));
    expect(ids).toContain(found);
    expect(ids).not.toContain(not);
  });

  it('when a text is read, then a name the stems merge with another word gets its own key, a capitalised common word does not', () => {
    const apart = namesApart(
      [
        'Honorer Modibo KONE et le Schéma d’Aménagement du Territoire ;',
        'Konna-Tonka ;',
        'Aménager des routes ;',
        'Faire face à la menace ;',
        'Réhabiliter Gao-Ménaka ;',
        'Renforcer les Équipes et une unité équipée ;',
      ],
      stem,
    );
    expect([...apart.keys()].sort()).toEqual(['kone', 'menaka']);
    expect(apart.get('kone')).not.toBe(stem('konna'));
  });
});
