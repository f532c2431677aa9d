import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmsHarness, type SmsHarness } from './support/sms.js';

/**
 * SUITE renders the answer again from what was kept (result ids, numbers, the length of the
 * query's echo; never the words: issue 33, point 5), so every page must be the one the first
 * rendering cut: no line twice, none missing, the counters right, the words of the question on
 * no stored page.
 */
describe('SMS pages rendered again for SUITE', () => {
  let sms: SmsHarness;
  beforeAll(async () => {
    sms = await startSmsHarness({ LOG_LEVEL: 'silent' });
  });
  afterAll(async () => {
    await sms.stop();
  });

  let n = 0;
  /** Asks `question`, then SUITE until the last page; every page received. */
  async function readAll(question: string): Promise<string[]> {
    const from = `+2237600${String(++n).padStart(4, '0')}`;
    const seen = (await sms.outbox()).length;
    await sms.incoming(question, { from });
    const pages = [(await sms.outbox()).slice(seen).at(-1)!.text];
    const total = Number(/^\((\d+)\/(\d+)\)/.exec(pages[0]!)?.[2] ?? 1);
    for (let k = 2; k <= total; k++) {
      await sms.incoming('SUITE', { from });
      pages.push((await sms.outbox()).at(-1)!.text);
    }
    // And PRECEDENT goes back to a page that is still there.
    if (total > 2) {
      await sms.incoming('PRECEDENT', { from });
      expect((await sms.outbox()).at(-1)!.text).toBe(pages[total - 2]);
    }
    return pages;
  }

  it.each([
    'jeunes',
    'femmes et jeunes de Kidal Coulibaly',
    'femmes jeunes [€€€€€€€€€€€€€€€€€€€€] emploi',
    'jeunes formation emploi insertion professionnelle des diplomes sans emploi',
  ])(
    'when “%s” takes several pages, then SUITE sends each next page once, in order, every result once',
    async (question) => {
      const pages = await readAll(question);
      expect(pages.length).toBeGreaterThan(1);
      pages.forEach((page, i) => expect(page.startsWith(`(${i + 1}/${pages.length})`)).toBe(true));
      const ids = pages.flatMap((page) =>
        [...page.replace(/^\(\d+\/\d+\) /, '').matchAll(/^(\d\.\d+) /gm)].map((m) => m[1]),
      );
      expect(new Set(ids).size).toBe(ids.length);
      // The list is the search's whole list, in its order.
      const all = sms.service.engine.search(question, 300).hits.map((hit) => hit.recommendation.id);
      expect(ids).toEqual(all.slice(0, ids.length));
      // The words of the question are on the first page only (its echo), never on the others.
      if (question.length >= 20)
        for (const page of pages.slice(1)) expect(page).not.toContain(question.slice(0, 20));
    },
  );

  it('when the pages of a long recommendation are read, then SUITE gives the report’s text whole', async () => {
    const pages = await readAll('4.80');
    const body = pages
      .map((page) => page.replace(/^\(\d+\/\d+\) /, '').replace(/\n[^\n]*SUITE[^\n]*$/i, ''))
      .join(' ');
    const rec = sms.service.engine.recommendation('4.80')!;
    expect(body.replace(/\s+/g, ' ')).toContain(
      rec.text.replace(/\s+/g, ' ').slice(0, 200).replace(/[’]/g, "'"),
    );
  });
});
