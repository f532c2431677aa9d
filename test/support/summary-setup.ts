import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newTally, SUMMARY_DIR, type Tally } from './reliability.js';

/**
 * Global setup of the reliability suite's summary: clears the tallies of the last run, and at
 * the end of the run adds up what every file of test/reliability counted and prints the table
 * (also written to test-results/reliability-summary.md). Runs only when a tally was written.
 */
export function setup(): void {
  rmSync(SUMMARY_DIR, { recursive: true, force: true });
}

export function teardown(): void {
  if (!existsSync(SUMMARY_DIR)) return;
  const files = readdirSync(SUMMARY_DIR).filter((name) => name.endsWith('.json'));
  if (files.length === 0) return;
  const rows: Array<[string, Tally]> = files.sort().map((name) => {
    const tally = { ...newTally(), ...(JSON.parse(readFileSync(join(SUMMARY_DIR, name), 'utf8')) as Tally) };
    return [name.replace(/\.json$/, ''), tally];
  });
  const total = newTally();
  for (const [, tally] of rows)
    for (const key of Object.keys(total) as Array<keyof Tally>) total[key] += tally[key];
  const header =
    '| scenario | inputs tried | faults injected | requests failed | deferred (503, redelivered) | data lost | refused by a limit | crashes | log lines scanned | leaks |';
  const line = (name: string, t: Tally) =>
    `| ${name} | ${t.inputs} | ${t.faults} | ${t.failed} | ${t.deferred} | ${t.lost} | ${t.limited} | ${t.crashes} | ${t.logLines} | ${t.leaks} |`;
  const table = [
    '# Reliability and security suite',
    '',
    header,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(([name, tally]) => line(name, tally)),
    line('**total**', total),
    '',
    'requests failed: answers with a 5xx, or no answer (none within 15 s: a hung request; the',
    'service answers for its own deadlines, 1.5 s under Redis faults). deferred: SMS and WhatsApp',
    'messages answered 503 while Redis was out, delivered again by the gateway and processed once.',
    'data lost: opt-outs not found after a fault or restart, messages never answered. refused by a',
    'limit: 429s and spending caps, where refusing is the point (sign-in guesses, SMS and calls past a cap).',
    'leaks: log lines carrying a phone number, a message text or a secret.',
    '',
  ].join('\n');
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/reliability-summary.md', table);
  process.stdout.write(`\n${table}\n`);
}
