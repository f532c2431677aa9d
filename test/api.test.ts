import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/content/load.js';
import { t } from '../src/i18n/index.js';
import { startService, type RunningService } from './support/service.js';

const corpus = loadCorpus('content/recommendations.json');

interface SearchBody {
  query: string;
  verdict: string;
  suggestion?: string;
  results: Array<{
    id: string;
    theme: number;
    number: number;
    label: string;
    text: string;
    items?: string[];
    score: number;
  }>;
}

describe('HTTP API /api (the real service, in-process)', () => {
  let running: RunningService;
  let base: string;
  beforeAll(async () => {
    // The per-address API budget is tested with the hardening; here one client asks a lot.
    running = await startService({ API_RATE_LIMIT_PER_MINUTE: '100000' });
    base = `${running.baseUrl}/api`;
  });
  afterAll(() => running.close());

  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    return { res, body: (await res.json()) as Record<string, unknown> };
  };

  it('when the themes are asked, then the five come with their titles and counts, cacheable', async () => {
    const { res, body } = await get('/themes');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(body.themes).toEqual(
      corpus.themes.map((t, i) => ({
        number: t.number,
        title: t.title,
        short: t.short,
        count: [41, 51, 59, 81, 68][i],
      })),
    );
  });

  it('when theme 2 is asked, then it comes with its 51 recommendations in order, in the report words', async () => {
    const { res, body } = await get('/themes/2');
    expect(res.status).toBe(200);
    expect(body.theme).toMatchObject({
      number: 2,
      title: 'QUESTIONS POLITIQUES ET INSTITUTIONNELLES',
      count: 51,
    });
    const recs = body.recommendations as Array<{ id: string; text: string }>;
    expect(recs.map((r) => r.id)).toEqual(Array.from({ length: 51 }, (_, i) => `2.${i + 1}`));
    expect(recs[14]!.text).toBe(corpus.recommendations.find((r) => r.id === '2.15')!.text);
  });

  it('when theme 6 is asked, then it is a JSON 404 naming the valid themes', async () => {
    const { res, body } = await get('/themes/6');
    expect(res.status).toBe(404);
    expect(body.error).toBe('theme_not_found');
    expect(String(body.message)).toContain('1 to 5');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('when a theme is not a number, then it is a JSON 400', async () => {
    for (const bad of ['deux', '2.5', '-1', '1e2', '%20', '99999']) {
      const { res, body } = await get(`/themes/${bad}`);
      expect(res.status, bad).toBe(400);
      expect(body.error).toBe('bad_theme');
    }
  });

  it('when recommendation 2.15 is asked, then it comes with the report text and its theme title', async () => {
    const expected = corpus.recommendations.find((r) => r.id === '2.15')!;
    const { res, body } = await get('/recommendations/2.15');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(body).toMatchObject({
      id: '2.15',
      theme: 2,
      number: 15,
      text: expected.text,
      label: expected.label,
      themeTitle: 'QUESTIONS POLITIQUES ET INSTITUTIONNELLES',
    });
  });

  it('when a recommendation with sub-items is asked (4.79), then the items come too', async () => {
    const expected = corpus.recommendations.find((r) => r.id === '4.79')!;
    expect(expected.items?.length).toBeGreaterThan(0);
    const { body } = await get('/recommendations/4.79');
    expect(body.items).toEqual(expected.items);
  });

  it('when the id is written 2,15 or 2-15, then it is the same recommendation', async () => {
    for (const id of ['2,15', '2-15']) {
      const { res, body } = await get(`/recommendations/${encodeURIComponent(id)}`);
      expect(res.status).toBe(200);
      expect(body.id).toBe('2.15');
    }
  });

  it('when an unknown id is asked, then it is a JSON 404 that says what exists', async () => {
    const cases: Array<[string, string]> = [
      ['2.99', '2.1 to 2.51'],
      ['6.1', '2.15'],
      ['0.0', '2.15'],
      ['abc', '2.15'],
      ['x'.repeat(500), '2.15'],
    ];
    for (const [id, hint] of cases) {
      const { res, body } = await get(`/recommendations/${id}`);
      expect(res.status, id).toBe(404);
      expect(body.error).toBe('recommendation_not_found');
      expect(String(body.message)).toContain(hint);
      expect(String(body.message).length).toBeLessThan(200);
    }
  });

  it('when every id of the corpus is asked, then each answers 200 with its own text', async () => {
    const answers = await Promise.all(
      corpus.recommendations.map(async (r) => {
        const res = await fetch(`${base}/recommendations/${r.id}`);
        const body = (await res.json()) as { id: string; text: string };
        return res.status === 200 && body.id === r.id && body.text === r.text;
      }),
    );
    expect(answers.filter(Boolean)).toHaveLength(300);
  });

  it('when "route kidal" is searched, then the results come best first with id, theme, number, label, text and score', async () => {
    const { res, body } = await get('/search?q=route%20kidal');
    expect(res.status).toBe(200);
    const search = body as unknown as SearchBody;
    expect(search.query).toBe('route kidal');
    expect(search.results.length).toBeGreaterThan(0);
    const first = search.results[0]!;
    expect(Object.keys(first)).toEqual(
      expect.arrayContaining(['id', 'theme', 'number', 'label', 'text', 'score']),
    );
    // 4.80 says "Réhabiliter les routes :" and names the road sections in its sub-items.
    expect([first.text, ...(first.items ?? [])].join(' ').toLowerCase()).toContain('kidal');
    const scores = search.results.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const r of search.results) {
      expect(r.id).toBe(`${r.theme}.${r.number}`);
      expect(r.text).toBe(corpus.recommendations.find((c) => c.id === r.id)!.text);
    }
  });

  it('when "eau" is searched with limit 3, then at most 3 results come, about water', async () => {
    const { res, body } = await get('/search?q=eau&limit=3');
    expect(res.status).toBe(200);
    const search = body as unknown as SearchBody;
    expect(search.results.length).toBeGreaterThan(0);
    expect(search.results.length).toBeLessThanOrEqual(3);
    expect(search.results[0]!.text.toLowerCase()).toMatch(/\beau/);
  });

  it('when no limit is given, then at most 10 results come', async () => {
    const { body } = await get('/search?q=femmes');
    const search = body as unknown as SearchBody;
    expect(search.results.length).toBeGreaterThan(0);
    expect(search.results.length).toBeLessThanOrEqual(10);
  });

  it('when the words match nothing in the report, then the results are empty, not an error', async () => {
    const { res, body } = await get('/search?q=pizza%20margherita');
    expect(res.status).toBe(200);
    expect((body as unknown as SearchBody).results).toEqual([]);
  });

  it('when q is missing, empty, blank, repeated or longer than 200 characters, then it is a JSON 400', async () => {
    const cases: Array<[string, string]> = [
      ['/search', 'missing_query'],
      ['/search?q=', 'missing_query'],
      ['/search?q=%20%20', 'missing_query'],
      ['/search?q=a&q=b', 'bad_query'],
      [`/search?q=${'eau%20'.repeat(67)}`, 'query_too_long'],
    ];
    for (const [path, error] of cases) {
      const { res, body } = await get(path);
      expect(res.status, path).toBe(400);
      expect(body.error, path).toBe(error);
    }
    const { res } = await get(`/search?q=${'a'.repeat(200)}`);
    expect(res.status).toBe(200);
  });

  it('when limit is not a whole number from 1 to 50, then it is a JSON 400; 1 and 50 are fine', async () => {
    for (const bad of ['0', '51', '-1', 'abc', '2.5', '', '1e1', '1000000']) {
      const { res, body } = await get(`/search?q=eau&limit=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(body.error).toBe('bad_limit');
    }
    for (const ok of ['1', '50']) {
      const { res, body } = await get(`/search?q=eau&limit=${ok}`);
      expect(res.status).toBe(200);
      expect((body as unknown as SearchBody).results.length).toBeLessThanOrEqual(Number(ok));
    }
  });

  it('when strange bytes are sent in q, then the answer is JSON, never a 500', async () => {
    for (const q of ['%00', '%F0%9F%87%B2%F0%9F%87%B1', '%3Cscript%3E', '%25', '%E2%80%AE', '%C3%A9%C3%A9']) {
      const res = await fetch(`${base}/search?q=${q}`);
      expect(res.status, q).toBeLessThan(500);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    }
    const malformed = await fetch(`${base}/search?q=%E0%A4%A`);
    expect(malformed.status).toBeLessThan(500);
  });

  it('when about is asked, then the Dialogue facts come with our summary marked as ours by its place', async () => {
    const { res, body } = await get('/about');
    expect(res.status).toBe(200);
    expect(body.recommendationCount).toBe(300);
    expect(body.about).toMatchObject({ reportDate: '2024-05-10', reportPlace: 'Bamako' });
    // Our summary, in the language asked (French by default), from the catalogs.
    expect((body.about as { summary: string }).summary).toBe(t('fr', 'about.summary'));
    const bm = await get('/about?lang=bm');
    expect((bm.body.about as { summary: string }).summary).toBe(t('bm', 'about.summary'));
  });

  it('when an unknown API path is asked, then it is a JSON 404', async () => {
    const { res } = await get('/nothing');
    expect(res.status).toBe(404);
  });

  it('when someone searches, then the query does not appear in the logs', async () => {
    await get('/search?q=secret%20personnel%20kidal');
    expect(running.logs.text).not.toContain('secret personnel');
  });
});
