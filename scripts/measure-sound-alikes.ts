/**
 * How many French words a key reads that are not the report's own, and how many of those the
 * search still reads by it (src/search/sound-alike.ts): every word form of 5 letters or more
 * of the wfrench dictionary (`apt-get install wfrench`: /usr/share/dict/french), keyed as the
 * index keys the report's words (text, labels, items). Prints the counts and every 15th word
 * no longer read, with the report's words of its key. Results: bench/sound-alikes.md.
 *
 *   npx tsx scripts/measure-sound-alikes.ts [dictionary]
 */
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../src/content/load.js';
import { fold } from '../src/core/normalize.js';
import { namesIn, standsFor } from '../src/search/sound-alike.js';
import { stem } from '../src/search/text.js';

const dictionary = process.argv[2] ?? '/usr/share/dict/french';
const corpus = loadCorpus('content/recommendations.json');
const wordsByKey = new Map<string, Set<string>>();
for (const rec of corpus.recommendations)
  for (const text of [rec.text, rec.label, ...(rec.items ?? [])])
    for (const word of fold(text.replace(/[’'`´‘]/g, ' ')).split(/[^a-z0-9]+/)) {
      if (word === '') continue;
      const key = stem(word);
      if (!wordsByKey.has(key)) wordsByKey.set(key, new Set());
      wordsByKey.get(key)!.add(word);
    }

const names = namesIn(corpus.recommendations.flatMap((rec) => [rec.text, rec.label, ...(rec.items ?? [])]));

const forms = [
  ...new Set(
    readFileSync(dictionary, 'utf8')
      .split('\n')
      .map((word) => fold(word))
      .filter((word) => /^[a-z]+$/.test(word) && word.length >= 5),
  ),
].sort();
let keyed = 0;
const dropped: string[] = [];
for (const word of forms) {
  const words = wordsByKey.get(stem(word));
  if (!words || words.has(word)) continue;
  keyed++;
  if (!standsFor(word, words, names)) dropped.push(`${word} → ${[...words].join('/')}`);
}
console.log(`dictionary forms (5+ letters): ${forms.length}`);
console.log(`read by a key of the report, not one of its words: ${keyed}`);
console.log(`still read (a form, a spelling or a typo of one): ${keyed - dropped.length}`);
console.log(`no longer read (another word that sounds alike): ${dropped.length}`);
console.log(`\nevery 15th of those:\n${dropped.filter((_, i) => i % 15 === 0).join('\n')}`);
