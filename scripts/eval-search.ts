/**
 * Search evaluation: `npm run eval:search`.
 *
 * For the tune and held-out halves of test/fixtures/search-queries.json, side by side: our
 * searcher, plain fuse.js with default options over the recommendation texts, and a plain
 * MiniSearch baseline. Prints hit@1, hit@3, MRR, zero-result rate on in-scope queries,
 * correct-nothing rate on out-of-scope ones and p50/p99 latency per query (after a warm-up,
 * process.hrtime). `--failures` lists the tune half's misses (never the held-out half's).
 * SEARCH_SETTINGS='{"b":0.75}' overrides settings for an experiment.
 */
import { cpus, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import { loadCorpus } from '../src/content/load.js';
import type { Recommendation } from '../src/core/types.js';
import {
  createSearcher,
  EMPTY_LEXICON,
  loadLexicon,
  type Lexicon,
  type SearchSettings,
} from '../src/search/index.js';

interface LabelledQuery {
  q: string;
  ids: string[];
  kind: string;
  split: 'tune' | 'heldout';
}

interface Ranked {
  ids: string[];
}

interface System {
  name: string;
  run(q: string): Ranked;
  /** Timed runs of every query; fewer for the slow baseline so the script stays quick. */
  repeats: number;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = loadCorpus(`${root}content/recommendations.json`);
const lexicon = loadLexicon(`${root}content/lexicon.json`);
const queries = JSON.parse(
  readFileSync(`${root}test/fixtures/search-queries.json`, 'utf8'),
) as LabelledQuery[];
const overrides = JSON.parse(process.env.SEARCH_SETTINGS ?? '{}') as Partial<SearchSettings>;
const showFailures = process.argv.includes('--failures');

const fullText = (r: Recommendation): string => [r.text, ...(r.items ?? [])].join(' ');

const ours = createSearcher(corpus, lexicon, overrides);
const fuse = new Fuse(
  corpus.recommendations.map((r) => ({ id: r.id, text: fullText(r) })),
  { keys: ['text'] },
);
const mini = new MiniSearch<{ id: string; text: string }>({ fields: ['text'] });
mini.addAll(corpus.recommendations.map((r) => ({ id: r.id, text: fullText(r) })));

const systems: System[] = [
  {
    name: 'ours',
    run: (q) => ({ ids: ours.search(q).hits.map((h) => h.recommendation.id) }),
    repeats: 30,
  },
  {
    name: 'fuse.js defaults',
    run: (q) => ({ ids: fuse.search(q).map((r) => r.item.id) }),
    repeats: 3,
  },
  {
    name: 'MiniSearch plain',
    run: (q) => ({ ids: mini.search(q).map((r) => String(r.id)) }),
    repeats: 30,
  },
];

interface Metrics {
  n: number;
  nOut: number;
  hit1: number;
  hit3: number;
  mrr: number;
  /** Share of the top 3 that is acceptable, out of min(3, acceptable ids). */
  p3: number;
  zero: number;
  nothing: number;
  /** Over queries, each query's latency being the median of its timed runs. */
  p50: number;
  p99: number;
  /** Over every timed run: includes GC pauses and preemption by other processes. */
  rawP99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

function evaluate(system: System, set: LabelledQuery[]): Metrics {
  for (const item of set) system.run(item.q); // warm-up
  const samples: number[] = [];
  const medians: number[] = [];
  for (const item of set) {
    const own: number[] = [];
    for (let r = 0; r < system.repeats; r++) {
      const start = process.hrtime.bigint();
      system.run(item.q);
      own.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    samples.push(...own);
    own.sort((a, b) => a - b);
    medians.push(percentile(own, 50));
  }
  samples.sort((a, b) => a - b);
  medians.sort((a, b) => a - b);
  return {
    ...quality((q) => system.run(q).ids, set),
    p50: percentile(medians, 50),
    p99: percentile(medians, 99),
    rawP99: percentile(samples, 99),
  };
}

function quality(
  run: (q: string) => string[],
  set: LabelledQuery[],
): Omit<Metrics, 'p50' | 'p99' | 'rawP99'> {
  let hit1 = 0;
  let hit3 = 0;
  let mrr = 0;
  let p3 = 0;
  let zero = 0;
  let nothing = 0;
  const inScope = set.filter((x) => x.ids.length > 0);
  const outScope = set.filter((x) => x.ids.length === 0);
  for (const item of set) {
    const ids = run(item.q);
    if (item.ids.length === 0) {
      if (ids.length === 0) nothing++;
      continue;
    }
    if (ids.length === 0) zero++;
    const ok = new Set(item.ids);
    const rank = ids.findIndex((id) => ok.has(id));
    if (rank === 0) hit1++;
    if (rank >= 0 && rank < 3) hit3++;
    if (rank >= 0 && rank < 10) mrr += 1 / (rank + 1);
    p3 += ids.slice(0, 3).filter((id) => ok.has(id)).length / Math.min(3, ok.size);
  }
  const n = Math.max(1, inScope.length);
  return {
    p3: p3 / n,
    n: inScope.length,
    nOut: outScope.length,
    hit1: hit1 / n,
    hit3: hit3 / n,
    mrr: mrr / n,
    zero: zero / n,
    nothing: nothing / Math.max(1, outScope.length),
  };
}

const f3 = (x: number): string => x.toFixed(3);
const ms = (x: number): string => `${x.toFixed(3)} ms`;

function table(title: string, set: LabelledQuery[]): void {
  const rows = systems.map((s) => [s.name, evaluate(s, set)] as const);
  const first = rows[0]![1];
  console.log(`\n## ${title}: ${first.n} in-scope + ${first.nOut} out-of-scope queries\n`);
  console.log('| metric | ' + rows.map(([name]) => name).join(' | ') + ' |');
  console.log('|---|' + rows.map(() => '---:').join('|') + '|');
  const line = (label: string, pick: (m: Metrics) => string): void =>
    console.log(`| ${label} | ${rows.map(([, m]) => pick(m)).join(' | ')} |`);
  line('hit@1', (m) => f3(m.hit1));
  line('hit@3', (m) => f3(m.hit3));
  line('MRR@10', (m) => f3(m.mrr));
  line('precision@3 (of min(3, acceptable))', (m) => f3(m.p3));
  line('zero-result rate (in scope)', (m) => f3(m.zero));
  line('correct-nothing rate (out of scope)', (m) => f3(m.nothing));
  line('latency p50 per query (median of runs)', (m) => ms(m.p50));
  line('latency p99 per query (median of runs)', (m) => ms(m.p99));
  line('latency p99 over every single run', (m) => ms(m.rawP99));
}

function perKind(set: LabelledQuery[], title: string): void {
  const kinds = [...new Set(set.map((x) => x.kind))];
  console.log(`\n### ours by kind, ${title}\n`);
  console.log('| kind | n | hit@1 | hit@3 | verdicts one/several/none |');
  console.log('|---|---:|---:|---:|---|');
  for (const kind of kinds) {
    const sub = set.filter((x) => x.kind === kind);
    let h1 = 0;
    let h3 = 0;
    const verdicts = { one: 0, several: 0, none: 0 };
    for (const item of sub) {
      const outcome = ours.search(item.q);
      verdicts[outcome.verdict]++;
      const ok = new Set(item.ids);
      const rank = outcome.hits.findIndex((h) => ok.has(h.recommendation.id));
      if (item.ids.length === 0 ? outcome.hits.length === 0 : rank === 0) h1++;
      if (item.ids.length === 0 ? outcome.hits.length === 0 : rank >= 0 && rank < 3) h3++;
    }
    console.log(
      `| ${kind} | ${sub.length} | ${f3(h1 / sub.length)} | ${f3(h3 / sub.length)} | ${verdicts.one}/${verdicts.several}/${verdicts.none} |`,
    );
  }
}

function oneVerdictPrecision(set: LabelledQuery[]): string {
  let ones = 0;
  let right = 0;
  for (const item of set) {
    const outcome = ours.search(item.q);
    if (outcome.verdict !== 'one') continue;
    ones++;
    if (item.ids.includes(outcome.hits[0]!.recommendation.id)) right++;
  }
  return `${right}/${ones}`;
}

const tune = queries.filter((x) => x.split === 'tune');
const heldout = queries.filter((x) => x.split === 'heldout');

console.log('# Search evaluation');
console.log(
  `\nmachine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}, node ${process.version}, ${new Date().toISOString()}`,
);
console.log(`corpus: ${corpus.recommendations.length} recommendations; queries: ${queries.length}`);
console.log(
  `latency: ${systems.map((s) => `${s.name} ${s.repeats}`).join(', ')} timed runs of every query after one warm-up pass, one process`,
);
if (Object.keys(overrides).length > 0) console.log(`settings override: ${JSON.stringify(overrides)}`);
table('Held-out half', heldout);
table('Tune half', tune);
perKind(heldout, 'held-out');
perKind(tune, 'tune');
console.log(
  `\n"one" verdicts whose hit is acceptable: held-out ${oneVerdictPrecision(heldout)}, tune ${oneVerdictPrecision(tune)}`,
);

// Ablations, tune half only (quality, no latency): what each part of the design buys.
const variants: Array<[string, Partial<SearchSettings>, Lexicon]> = [
  ['ours', {}, lexicon],
  ['no stemming', { stemming: false }, lexicon],
  ['no lexicon', {}, EMPTY_LEXICON],
  ['no typo correction / prefix completion', { fuzzy: false }, lexicon],
  ['plain BM25 order (coveragePower 0)', { coveragePower: 0 }, lexicon],
  ['coveragePower 2', { coveragePower: 2 }, lexicon],
  ['keepFraction 0.25', { keepFraction: 0.25 }, lexicon],
  ['no theme title field', { titleWeight: 0 }, lexicon],
  ['no label field', { labelWeight: 0 }, lexicon],
  ['b 0.75', { b: 0.75 }, lexicon],
  ['minCoverage 0.4', { minCoverage: 0.4 }, lexicon],
  ['minCoverage 0.6', { minCoverage: 0.6 }, lexicon],
  ['minDocCoverage 0.2', { minDocCoverage: 0.2 }, lexicon],
  ['minDocCoverage 0.4', { minDocCoverage: 0.4 }, lexicon],
  ['minDocCoverage 0.5 (top document alone decides)', { minDocCoverage: 0.5 }, lexicon],
  ['unknownWeight 3', { unknownWeight: 3 }, lexicon],
  ['unknownWeight 7', { unknownWeight: 7 }, lexicon],
];
console.log('\n## Ablations on the tune half (quality only)\n');
console.log('| variant | hit@1 | hit@3 | MRR@10 | precision@3 | zero-result | correct-nothing |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [name, settings, lex] of variants) {
  const searcher = createSearcher(corpus, lex, { ...overrides, ...settings });
  const m = quality((q) => searcher.search(q).hits.map((h) => h.recommendation.id), tune);
  console.log(
    `| ${name} | ${f3(m.hit1)} | ${f3(m.hit3)} | ${f3(m.mrr)} | ${f3(m.p3)} | ${f3(m.zero)} | ${f3(m.nothing)} |`,
  );
}

if (showFailures) {
  console.log('\n## Tune-half misses (rank of the first acceptable id, top 3 returned)\n');
  for (const item of tune) {
    const outcome = ours.search(item.q);
    const ids = outcome.hits.map((h) => h.recommendation.id);
    const ok = new Set(item.ids);
    const rank = ids.findIndex((id) => ok.has(id));
    const wrong = item.ids.length === 0 ? ids.length > 0 : rank !== 0;
    if (!wrong) continue;
    const scored = outcome.hits
      .slice(0, 3)
      .map((h) => `${h.recommendation.id}:${h.score.toFixed(2)}`)
      .join(' ');
    console.log(
      `- [${item.kind}] "${item.q}" → ${outcome.verdict} rank ${rank} [${scored}] want ${item.ids.join(',') || 'nothing'}` +
        (outcome.suggestion ? ` (suggest "${outcome.suggestion}")` : '') +
        ` words ${JSON.stringify(ours.analyze(item.q).alternatives)}`,
    );
  }
}
