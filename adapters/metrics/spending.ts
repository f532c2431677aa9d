import type { Registry } from 'prom-client';
import type { SentToday, SpendKind, SpendingCaps } from '../../src/spending/caps.js';
import { metricFamilies } from './families.js';

/** Prometheus names of what is capped: the units an operator is billed for. */
const UNITS: Record<SpendKind, string> = { sms: 'sms_segments', call: 'calls' };

/**
 * The spending caps in /metrics (docs/operations.md, "Spending caps"):
 *
 *   dim_spend_today{kind}           the service's spending today, read from the shared store at
 *                                   each scrape (every instance reports the same total)
 *   dim_spend_cap{kind, scope}      the caps configured (person, service)
 *   dim_spend_refused_total{kind, scope}  what a cap refused: person, service, or repeat (an item
 *                                   already sent by SMS to that person today)
 *
 * Returns the caps and "sent today" counting their refusals.
 */
export function instrumentSpending(
  registry: Registry,
  caps: SpendingCaps,
  sentToday: SentToday,
): { caps: SpendingCaps; sentToday: SentToday } {
  const m = metricFamilies(registry);
  let last: Record<SpendKind, number> = { sms: 0, call: 0 };
  m.gauge(
    'dim_spend_today',
    'What the service spent today (UTC), all instances together: SMS segments, calls',
    ['kind'],
    async function collect() {
      // A store that does not answer keeps the last figure rather than fail the scrape.
      last = await caps.today().catch(() => last);
      for (const kind of Object.keys(UNITS) as SpendKind[]) this.set({ kind: UNITS[kind] }, last[kind]);
    },
  );
  const cap = m.gauge('dim_spend_cap', 'Daily spending caps: per person and for the whole service', [
    'kind',
    'scope',
  ]);
  for (const kind of Object.keys(UNITS) as SpendKind[]) {
    const limits = caps.limits[kind];
    cap.set({ kind: UNITS[kind], scope: 'service' }, limits.service);
    if (limits.person !== undefined) cap.set({ kind: UNITS[kind], scope: 'person' }, limits.person);
  }
  const refused = m.counter(
    'dim_spend_refused_total',
    'Sends refused by a spending cap (person, service) or as a repeat of today',
    ['kind', 'scope'],
  );
  return {
    caps: {
      limits: caps.limits,
      today: () => caps.today(),
      release: (kind, pseudonym, units) => caps.release(kind, pseudonym, units),
      async reserve(kind, pseudonym, units) {
        const answer = await caps.reserve(kind, pseudonym, units);
        if (!answer.ok) refused.inc({ kind: UNITS[kind], scope: answer.cap });
        return answer;
      },
    },
    sentToday: {
      forget: (pseudonym, item) => sentToday.forget(pseudonym, item),
      async claim(pseudonym, item) {
        const first = await sentToday.claim(pseudonym, item);
        if (!first) refused.inc({ kind: UNITS.sms, scope: 'repeat' });
        return first;
      },
    },
  };
}
