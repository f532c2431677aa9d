/**
 * `npx tsx scripts/glossary-evidence.ts --bamadaba <bamadaba.txt> --corpus <dir> [--lang bm] [--write]`
 *
 * Recounts the evidence of content/i18n/glossary/<lang>.json from local copies of its sources
 * (the machine running the service never needs them): Bamadaba's Toolbox file (maslinych/bamadaba,
 * bamadaba.txt) and MasakhaNER 2.0's `bam` folder (train.txt, dev.txt, test.txt: Kibaru/AMAP
 * news, one token per line). For every term of every entry it prints the dictionary gloss (a
 * headword or variant, tone marks removed) and the corpus hits, and the entries whose recorded
 * evidence differs. With --write it records the new figures; without, it exits 1 on a difference.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { glossaryPath, parseGlossary, type Glossary } from '../src/content/glossary.js';

const untoned = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');

export interface DictionaryEntry {
  forms: string[];
  gloss: string;
}

/** Toolbox records (\lx, \va, \ps, \gvf) separated by blank lines. */
export function readBamadaba(text: string): DictionaryEntry[] {
  return text.split(/\n\s*\n/).flatMap((record) => {
    const field = (name: string) =>
      [...record.matchAll(new RegExp(`^\\\\${name} (.+)$`, 'gm'))].map((m) => m[1]!.trim());
    const lx = field('lx')[0];
    if (!lx) return [];
    const glosses = field('gvf').length > 0 ? field('gvf') : field('gf');
    const ps = field('ps')[0];
    const head = untoned(lx).toLowerCase();
    return [
      {
        forms: [head, ...field('va').map((v) => untoned(v).toLowerCase())],
        gloss: `${head}${ps ? ` ${ps}` : ''}: ${glosses
          .slice(0, 4)
          .map((g) => g.replace(/\./g, ' '))
          .join(', ')}`,
      },
    ];
  });
}

/** The first column of CoNLL lines, one sentence a line, lower case. */
export function readCorpus(files: string[]): string {
  const sentences: string[] = [];
  for (const file of files) {
    let tokens: string[] = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const token = line.trim().split(' ')[0];
      if (!token) {
        if (tokens.length > 0) sentences.push(tokens.join(' '));
        tokens = [];
      } else tokens.push(token);
    }
    if (tokens.length > 0) sentences.push(tokens.join(' '));
  }
  return sentences.join('\n').toLowerCase();
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function corpusHits(corpus: string, term: string): number {
  const re = new RegExp(`(?<![\\p{L}\\p{N}_])${escape(term.toLowerCase())}(?![\\p{L}\\p{N}_])`, 'gu');
  return [...corpus.matchAll(re)].length;
}

export function dictionaryGloss(entries: DictionaryEntry[], term: string): string | null {
  const t = term.toLowerCase();
  for (const candidate of t.endsWith('w') ? [t, t.slice(0, -1)] : [t]) {
    const found = entries.filter((e) => e.forms.includes(candidate)).map((e) => e.gloss);
    if (found.length > 0) return found.join('; ');
  }
  return null;
}

/** The glossary with its evidence recounted; `changed` lists "concept: term" that differ. */
export function recount(
  glossary: Glossary,
  entries: DictionaryEntry[],
  corpus: string,
): { glossary: Glossary; changed: string[] } {
  const changed: string[] = [];
  const terms = glossary.terms.map((entry) => {
    const evidence = Object.fromEntries(
      Object.entries(entry.evidence).map(([term, old]) => {
        const now = { bamadaba: dictionaryGloss(entries, term), kibaru: corpusHits(corpus, term) };
        if (now.kibaru !== old.kibaru || now.bamadaba !== old.bamadaba)
          changed.push(
            `${entry.concept}: ${term}: kibaru ${old.kibaru} → ${now.kibaru}; bamadaba ${old.bamadaba} → ${now.bamadaba}`,
          );
        return [term, now];
      }),
    );
    return { ...entry, evidence };
  });
  return { glossary: { ...glossary, terms }, changed };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { values } = parseArgs({
    options: {
      bamadaba: { type: 'string' },
      corpus: { type: 'string' },
      lang: { type: 'string', default: 'bm' },
      write: { type: 'boolean', default: false },
    },
  });
  if (!values.bamadaba || !values.corpus) {
    console.error(
      'usage: glossary-evidence --bamadaba <bamadaba.txt> --corpus <MasakhaNER bam dir> [--write]',
    );
    process.exit(2);
  }
  const path = glossaryPath(values.lang);
  const glossary = parseGlossary(readFileSync(path, 'utf8'), path);
  const files = readdirSync(values.corpus)
    .filter((name) => /^(train|dev|test)\.txt$/.test(name))
    .map((name) => join(values.corpus!, name));
  const corpus = readCorpus(files);
  const result = recount(glossary, readBamadaba(readFileSync(values.bamadaba, 'utf8')), corpus);
  console.log(`corpus: ${corpus.split(/\s+/).filter(Boolean).length} tokens in ${files.length} file(s)`);
  for (const entry of result.glossary.terms) {
    console.log(`\n${entry.concept} [${entry.status}, ${entry.confidence}]`);
    for (const [term, e] of Object.entries(entry.evidence))
      console.log(
        `  ${term.padEnd(22)} kibaru ${String(e.kibaru).padStart(4)}  bamadaba ${e.bamadaba ?? '-'}`,
      );
  }
  if (result.changed.length === 0) console.log('\nThe recorded evidence matches the sources.');
  else {
    console.log(`\n${result.changed.length} difference(s):\n  ${result.changed.join('\n  ')}`);
    if (values.write) writeFileSync(path, `${JSON.stringify(result.glossary, null, 2)}\n`);
    else process.exit(1);
  }
}
