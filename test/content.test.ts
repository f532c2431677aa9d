import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildContentFile,
  buildCorpus,
  EditorialError,
  EDITORIAL_PATH,
  foreignLabelWords,
  OUTPUT_PATH,
  parseReport,
  SOURCE_PATH,
  SourceError,
} from '../scripts/build-content.js';
import { CorpusError, loadCorpus } from '../src/content/load.js';
import { LABEL_MAX, THEME_SHORT_MAX, type Corpus } from '../src/content/schema.js';
import { fold } from '../src/core/normalize.js';

const source = readFileSync(SOURCE_PATH, 'utf8');
const editorial = readFileSync(EDITORIAL_PATH, 'utf8');
const committed = readFileSync(OUTPUT_PATH, 'utf8');
const corpus = loadCorpus(OUTPUT_PATH);
const byId = new Map(corpus.recommendations.map((r) => [r.id, r]));
const rec = (id: string) => {
  const found = byId.get(id);
  if (!found) throw new Error(`no recommendation ${id}`);
  return found;
};
const allTexts = (c: Corpus): string[] => [
  ...c.themes.map((t) => t.title),
  ...c.recommendations.flatMap((r) => [r.text, ...(r.items ?? [])]),
];

/** Runs the parser on the source with `edit` applied to its lines; returns the error it throws. */
function parseError(edit: (lines: string[]) => void): SourceError {
  const lines = source.split('\n');
  edit(lines);
  try {
    parseReport(lines.join('\n'));
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error('the parser accepted the edited source');
}
const lineOf = (prefix: string): number => source.split('\n').findIndex((l) => l.startsWith(prefix)) + 1;

describe('the committed corpus', () => {
  it('when counted by theme, then it holds 41/51/59/81/68 = 300 recommendations', () => {
    const counts = [1, 2, 3, 4, 5].map((t) => corpus.recommendations.filter((r) => r.theme === t).length);
    expect(counts).toEqual([41, 51, 59, 81, 68]);
    expect(corpus.recommendations).toHaveLength(300);
  });

  it('when read in order, then ids are unique, "theme.number", and consecutive within each theme', () => {
    const ids = corpus.recommendations.map((r) => r.id);
    expect(new Set(ids).size).toBe(300);
    let previous = { theme: 1, number: 0 };
    for (const r of corpus.recommendations) {
      expect(r.id).toBe(`${r.theme}.${r.number}`);
      const next =
        r.theme === previous.theme
          ? { theme: r.theme, number: previous.number + 1 }
          : { theme: previous.theme + 1, number: 1 };
      expect({ theme: r.theme, number: r.number }).toEqual(next);
      previous = next;
    }
  });

  it('when rebuilt in-process from the source and the editorial file, then it is byte for byte the committed file', () => {
    expect(buildContentFile()).toBe(committed);
  });

  it('when any title, text or item is scanned, then no page header, heading, intro, bullet, line break or stray space is left', () => {
    const texts = allTexts(corpus);
    expect(texts.length).toBe(5 + 300 + 25);
    for (const text of texts) {
      expect(text).not.toMatch(
        /COMITE DE PILOTAGE|MAI-2024|RECOMMANDATIONS|THEMATIQUE|recommandations suivantes/,
      );
      expect(text).not.toMatch(/[\n\r\t➢]/);
      expect(text).not.toMatch(/\s\s/);
      expect(text).toBe(text.trim());
    }
  });

  it('when theme titles are read, then they are the report headings joined from their wrapped lines, without the final period', () => {
    expect(corpus.themes.map((t) => t.title)).toEqual([
      'PAIX, RECONCILIATION NATIONALE ET COHESION SOCIALE',
      'QUESTIONS POLITIQUES ET INSTITUTIONNELLES',
      'ECONOMIE ET DEVELOPPEMENT DURABLE',
      'ASPECTS SECURITAIRE ET DEFENSE DU TERRITOIRE',
      'GEOPOLITIQUE ET ENVIRONEMENT INTERNATIONAL',
    ]);
  });

  it('when sub-items are looked for, then only 4.79 and 4.80 have them, all of the bullets of the source', () => {
    const withItems = corpus.recommendations.filter((r) => r.items).map((r) => r.id);
    expect(withItems).toEqual(['4.79', '4.80']);
    expect(rec('4.79').items).toEqual(['Kadiolo-Fourou-Kadiana ;', 'Kadiolo- Misséni- Deléou ;']);
    const bulletsInSource = source.split('\n').filter((l) => l.trim().startsWith('➢')).length;
    expect(bulletsInSource).toBe(25);
    expect(rec('4.80').items).toHaveLength(bulletsInSource - 2);
    expect(rec('4.80').items).toEqual([
      'Sikasso- Zegoua (deux fois deux voies) ;',
      'Farakala- Lobougoula-fourou ;',
      'Loulouni-Nimbougou- Ouéléni (B FASO) ;',
      'Zegoua- Baguaira (B FASO)',
      'Sévaré-Gao ;',
      'Ansongo-Ménaka- Anderamboukane-frontière Niger (Abala et Banibangou) ;',
      'Ménaka-Kidal-Tinzawatène ;',
      'Ménaka-Tindermène ;',
      'Ménaka-Inékar ;',
      'Tessalit-Bouressa',
      'Konna-Korientzé-Tonka ;',
      'Mopti-Dialloubé ;',
      'Kwala-Mourdiah-Nara-Frontière Mauritanie ;',
      'Goumbou-Fallou-Ballé-Nioro du Sahel ;',
      'Gossi-Rarhouss-Tombouctou.',
      'Kita-Kourourinkoto-Diéma ;',
      'Kidal-Talahandar ;',
      'Kidal- Inafara ;',
      'Poursuivre la construction de la route Tombouctou-Goma coura-Niono ;',
      'Daguol-borhè-NGouma ;',
      'Boni-Mondoro ;',
      'Koutiala-Yorosso ;',
      'Yorosso-Boura-Frontière Burkina Faso ;',
    ]);
  });

  it('when labels and theme short names are measured, then each is within its limit and not empty', () => {
    for (const r of corpus.recommendations) {
      expect(r.label.length, r.id).toBeGreaterThan(0);
      expect(r.label.length, r.id).toBeLessThanOrEqual(LABEL_MAX);
    }
    for (const t of corpus.themes) expect(t.short.length).toBeLessThanOrEqual(THEME_SHORT_MAX);
    expect(LABEL_MAX).toBe(40);
    expect(THEME_SHORT_MAX).toBe(24);
  });

  it('when two recommendations share a label, then the report repeats the same text (4.11/4.57, 5.21/5.65)', () => {
    const byLabel = new Map<string, string[]>();
    for (const r of corpus.recommendations) byLabel.set(r.label, [...(byLabel.get(r.label) ?? []), r.id]);
    const shared = [...byLabel.values()].filter((ids) => ids.length > 1);
    for (const ids of shared) expect(new Set(ids.map((id) => rec(id).text)).size, ids.join(' ')).toBe(1);
    expect(shared).toEqual([
      ['4.11', '4.57'],
      ['5.21', '5.65'],
    ]);
  });

  it('when a label is folded into words, then every word occurs in its own recommendation', () => {
    const offenders = corpus.recommendations
      .map((r) => ({ id: r.id, foreign: foreignLabelWords(r.label, r) }))
      .filter((o) => o.foreign.length > 0);
    expect(offenders).toEqual([]);
  });
});

describe('recommendations compared word for word with the report', () => {
  const expected: Record<string, string> = {
    '1.1':
      'Prendre toutes les dispositions nécessaires pour le retour des réfugiés et des déplacés dans leurs villages ou sites d’origine et leur apporter tout le soutien matériel, financier et moral pour leur réinsertion socio-économique ;',
    '1.20':
      'Eriger un monument sur le site de l’attaque du bateau « Tombouctou » survenue le 07 septembre 2023 à Chambou, dans le Cercle de Gourma-Rharous ;',
    '1.35':
      'Appliquer les lois et conventions et internationales en faveur des personnes vivant avec un handicap ;',
    '1.38':
      'Procéder à la réforme institutionnelle de la Mission d’Appui à la Réconciliation Nationale et opérationnaliser les Equipes Régionales d’Appui à la Réconciliation et les Comités communaux de Réconciliation en vue de leur permettre de jouer pleinement leur rôle de structure de mise en œuvre des politiques de paix et de cohésion sociale ;',
    '2.3': 'Former les citoyens maliens aux respects des symboles de l’Etat et des biens publics ;',
    '2.16': 'Procéder au recensement des Maliens établis à l’extérieur ;',
    '2.17':
      "Contrôler la ligne éditoriale des prêches par les religieux afin d'éviter la propagation des messages de haine ou susceptibles de créer un conflit entre les différentes tendances religieuses ;",
    '2.48': 'Opérationnaliser les coordinations de l’AIGE ans les nouvelles Régions ;',
    '3.13':
      'Assurer l’accès des populations à l’eau partout où cela est possible à partir des cours d’eau (le fleuve Sénégal, le Sankarani, le Bani, le Sourou, etc.) et des eaux souterraines (la Vallée du Serpent, du Système Faguibine, le Tamesna, le Tilemsi, etc.) ;',
    '3.56': 'Promouvoir de la reconversion professionnelle pour en fonction des réalités du marché ;',
    '3.59': 'Encourager l’entrepreneuriat et l’innovation.',
    '4.1':
      'Faire comprendre à l’opinion nationale que la seule action militaire n’est pas suffisante pour le retour de la paix ;',
    '4.4': 'Procéder à un meilleur maillage du territoire en révisant la carte militaire) ;',
    '4.79': 'Construire et bitumer les infrastructures routières :',
    '4.80': 'Réhabiliter les routes :',
    '5.10': 'Proposer aux pays de l’AES de construire un partenariat dans le domaine de l’Education ;',
    '5.51': 'Coopérer avec tous les partenaires selon les trois dprincipes constitutionnels ;',
    '5.68':
      'Conforter la position internationale du Mali sur les filières stratégiques (coton, or, bétail etc) par une politique d’investissements massifs sur toute la chaine de valeur, en tenant compte de nos intérêts.',
  };

  it.each(Object.entries(expected))(
    'when %s is read, then its text is the report’s, typos included',
    (id, text) => {
      expect(rec(id).text).toBe(text);
    },
  );

  it('when texts are ranked by length, then the longest is 1.38 and it is complete', () => {
    const longest = [...corpus.recommendations].sort((a, b) => b.text.length - a.text.length)[0];
    expect(longest?.id).toBe('1.38');
    expect(longest?.text).toBe(expected['1.38']);
  });
});

describe('the about block', () => {
  const preamble = parseReport(source).preamble;
  const about = corpus.about;
  const months = [
    'janvier',
    'février',
    'mars',
    'avril',
    'mai',
    'juin',
    'juillet',
    'août',
    'septembre',
    'octobre',
    'novembre',
    'décembre',
  ];
  const french = (iso: string): { day: string; month: string; year: string } => {
    const [year, month, day] = iso.split('-');
    return { day: String(Number(day)), month: months[Number(month) - 1] ?? '?', year: year ?? '?' };
  };

  it('when its figures are looked up in the preamble, then each is stated there', () => {
    expect(preamble).toContain(`${about.communes} communes dont ${about.relocatedCommunes} délocalisées`);
    expect(preamble).toContain(`les ${about.regions} régions administratives`);
    expect(preamble).toContain(`les ${about.embassiesAndConsulates} ambassades et consulats`);
    const a = french(about.announced);
    expect(preamble).toContain(`le ${a.day} ${a.month} ${a.year}`);
    const s = french(about.operationalStart);
    expect(preamble).toContain(`a démarré le ${s.day} ${s.month} ${s.year}`);
    expect(fold(preamble)).toContain(fold(about.title));
  });

  it('when its delegates are looked up in the preamble, then each kind is named there with its count, and counts the report omits are null', () => {
    for (const d of about.delegates) {
      expect(preamble).toContain(d.kind);
      if (d.count === null) expect(preamble).not.toMatch(new RegExp(`\\d+ ${d.kind}`));
      else if (d.count === 1) expect(preamble).toContain(`un ${d.kind}`);
      else expect(preamble).toContain(`${d.count} ${d.kind}`);
    }
    expect(about.delegates.map((d) => d.count)).toEqual([160, 26, 3, 8, null, 1]);
  });

  it('when phases carry dates, then the preamble states them; the national phase, undated in the report, has none', () => {
    for (const phase of about.phases) {
      if (phase.from === undefined || phase.to === undefined) continue;
      const from = french(phase.from);
      const to = french(phase.to);
      expect(preamble).toContain(`du ${from.day} au ${to.day} ${to.month} ${to.year}`);
    }
    expect(about.phases.filter((p) => p.from).map((p) => [p.from, p.to])).toEqual([
      ['2024-04-13', '2024-04-15'],
      ['2024-04-20', '2024-04-22'],
    ]);
    const national = about.phases.find((p) => p.name === 'phase nationale');
    expect(national).toBeDefined();
    expect(national?.from).toBeUndefined();
    expect(national?.to).toBeUndefined();
    expect(about.reportDate).toBe('2024-05-10');
    expect(source).toContain(`${about.reportPlace}, le 10 Mai 2024`);
  });
});

describe('a corrupted corpus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corpus-'));
  const corrupt = (name: string, edit: (c: Corpus) => void): string => {
    const copy = JSON.parse(committed) as Corpus;
    edit(copy);
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(copy));
    return path;
  };

  it('when a recommendation has an empty text, then loadCorpus throws a CorpusError naming it', () => {
    const path = corrupt('empty.json', (c) => {
      (c.recommendations[60] as { text: string }).text = '';
    });
    expect(() => loadCorpus(path)).toThrow(CorpusError);
    expect(() => loadCorpus(path)).toThrow(/recommendation 2\.20 \(text\)/);
  });

  it('when an id is duplicated, then loadCorpus throws a CorpusError naming the duplicate', () => {
    const path = corrupt('duplicate.json', (c) => {
      c.recommendations[5] = { ...(c.recommendations[4] as Corpus['recommendations'][number]) };
    });
    expect(() => loadCorpus(path)).toThrow(CorpusError);
    expect(() => loadCorpus(path)).toThrow(/recommendation 1\.5 \(id\): duplicate id 1\.5/);
  });

  it('when a label is longer than 40 characters, then loadCorpus throws a CorpusError naming the recommendation', () => {
    const path = corrupt('label.json', (c) => {
      (c.recommendations[299] as { label: string }).label = 'x'.repeat(41);
    });
    expect(() => loadCorpus(path)).toThrow(/recommendation 5\.68 \(label\)/);
  });
});

describe('the parser on a damaged source', () => {
  it('when an item number is skipped, then it throws with the line of the out-of-sequence item', () => {
    const at = lineOf('3. Apporter une assistance humanitaire');
    const error = parseError((lines) => {
      lines[at - 1] = 'Apporter une assistance humanitaire aux populations affectées par la crise ;';
    });
    expect(error.line).toBe(lineOf('4. Dissoudre les milices'));
    expect(error.message).toMatch(/item 1\.4 where 1\.3 was expected/);
  });

  it('when a line of text follows a bulleted list, then it throws rather than guess where it belongs', () => {
    const at = lineOf('➢ Boni-Mondoro');
    const error = parseError((lines) => {
      lines.splice(at, 0, 'une ligne inattendue');
    });
    expect(error.line).toBe(at + 1);
  });

  it('when the page header is damaged, then it throws instead of keeping it in an item', () => {
    const at = lineOf('COMITE DE PILOTAGE');
    const error = parseError((lines) => {
      lines[at - 1] = 'COMITE DE PILOTAGE DU DIALOGUE MAI-2024';
    });
    expect(error.line).toBe(at);
  });

  it('when a theme heading and its intro quotation disagree, then it throws', () => {
    const at = lineOf(' THEMATIQUE 2');
    const error = parseError((lines) => {
      lines[at - 1] = ' THEMATIQUE 2 : QUESTIONS POLITIQUES. ';
    });
    expect(error.message).toMatch(
      /heading "QUESTIONS POLITIQUES" and intro "QUESTIONS POLITIQUES ET INSTITUTIONNELLES"/,
    );
  });

  it('when a theme is one recommendation short, then it throws naming the theme', () => {
    const at = lineOf('41. Mettre en place une structure pour le suivi');
    const error = parseError((lines) => {
      lines.splice(at - 1, 3);
    });
    expect(error.message).toMatch(/theme 1 ends with 40 recommendations, expected 41/);
  });

  it('when a label uses a word its recommendation does not contain, then the build refuses it', () => {
    const data = JSON.parse(editorial) as { labels: Record<string, string> };
    data.labels['1.13'] = 'Journée nationale de réconciliation';
    expect(() => buildCorpus(source, JSON.stringify(data))).toThrow(EditorialError);
    expect(() => buildCorpus(source, JSON.stringify(data))).toThrow(
      /1\.13: label words not in the text: de, reconciliation/,
    );
  });
});
