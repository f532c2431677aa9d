import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createApi } from '../adapters/http/api.js';
import {
  AboutSchema,
  ErrorSchema,
  OneRecommendationSchema,
  RecommendationPageSchema,
  SearchAnswerSchema,
  ThemeListSchema,
  ThemeWithRecommendationsSchema,
} from '../adapters/http/openapi.js';
import { loadCorpus } from '../src/content/load.js';
import { createEngine } from '../src/core/engine.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';
import { startService, type RunningService } from './support/service.js';

/**
 * Issue 30, point 4: the OpenAPI description covers every route the API serves, each answer is
 * what the served schema says, our words come in the language asked, and a number finds itself.
 */

const corpus = loadCorpus('content/recommendations.json');
const engine = createEngine(corpus, createSearcher(corpus, loadLexicon('content/lexicon.json')));
const english = JSON.parse(readFileSync('content/translations/en.json', 'utf8')) as {
  recommendations: Record<string, { label: string }>;
  themes: Record<string, { name: string }>;
};
const bambara = JSON.parse(readFileSync('content/translations/bm.json', 'utf8')) as {
  recommendations: Record<string, { label: string; summary?: string }>;
};

let running: RunningService;
beforeAll(async () => {
  running = await startService({ LOG_LEVEL: 'warn', SERVE_DRAFT_TRANSLATIONS: 'on' });
});
afterAll(() => running?.close());

const get = async (path: string) => {
  const res = await fetch(`${running.baseUrl}/api${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

/** The routes the API's router serves, as OpenAPI writes paths (`:id` → `{id}`). */
function servedRoutes(): string[] {
  const { router } = createApi({ engine, corpus });
  const stack = (router as unknown as { stack: Array<{ route?: { path: string; methods: object } }> }).stack;
  return stack
    .filter((layer) => layer.route)
    .map((layer) => `/api${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`)
    .sort();
}

describe('the OpenAPI description (issue 30)', () => {
  it('when the app’s routes are listed, then the description has each of them, and nothing else', async () => {
    const { status, body } = await get('/openapi.json');
    expect(status).toBe(200);
    const documented = Object.keys(body.paths as object).sort();
    expect(servedRoutes().length).toBeGreaterThanOrEqual(7);
    expect(documented).toEqual(servedRoutes());
    // The README names them too.
    const readme = readFileSync('README.md', 'utf8');
    for (const path of documented) expect(readme).toContain(path.replace(/\{\w+\}.*/, ''));
  });

  it('when each route is asked, then its answer is what the served schema says (the same zod schemas)', async () => {
    const answers: Array<[string, z.ZodType]> = [
      ['/themes', ThemeListSchema],
      ['/themes/2?lang=en', ThemeWithRecommendationsSchema],
      ['/recommendations?theme=4&page=2&perPage=20&lang=bm', RecommendationPageSchema],
      ['/recommendations/2.15?lang=en', OneRecommendationSchema],
      ['/search?q=eau&lang=bm', SearchAnswerSchema],
      ['/about?lang=en', AboutSchema],
      ['/themes/9', ErrorSchema],
      ['/recommendations/2.15?lang=xx', ErrorSchema],
    ];
    for (const [path, schema] of answers) {
      const { body } = await get(path);
      const parsed = schema.safeParse(body);
      expect(parsed.success, `${path}: ${JSON.stringify(parsed.error?.issues.slice(0, 3))}`).toBe(true);
    }
    // Every parameter the description names for lang offers the three languages.
    const doc = (await get('/openapi.json')).body as {
      paths: Record<string, { get: { parameters: Array<{ name: string; schema: { enum?: string[] } }> } }>;
    };
    for (const path of ['/api/recommendations', '/api/recommendations/{id}', '/api/search', '/api/themes'])
      expect(doc.paths[path]!.get.parameters.find((p) => p.name === 'lang')?.schema.enum).toEqual(
        expect.arrayContaining(['fr', 'en', 'bm']),
      );
  });
});

describe('lang on the list, the search and one recommendation (issue 30)', () => {
  it('when lang=en is asked, then our labels and names are the English ones; the report’s words stay French', async () => {
    const one = await get('/recommendations/2.15?lang=en');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ lang: 'en', label: english.recommendations['2.15']!.label });
    expect(one.body.text).toBe(engine.recommendation('2.15')!.text);
    const list = await get('/recommendations?theme=2&lang=en');
    const recs = list.body.recommendations as Array<{ id: string; label: string }>;
    expect(recs[0]).toMatchObject({ id: '2.1', label: english.recommendations['2.1']!.label });
    const found = await get('/search?q=women&lang=en');
    const results = found.body.results as Array<{ id: string; label: string }>;
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) expect(result.label).toBe(english.recommendations[result.id]!.label);
    const themes = await get('/themes?lang=en');
    expect((themes.body.themes as Array<{ short: string }>)[1]!.short).toBe(english.themes['2']!.name);
  });

  it('when lang=bm is asked, then Bambara labels and our Bambara summary come with the report’s French text', async () => {
    const one = await get('/recommendations/1.1?lang=bm');
    expect(one.body).toMatchObject({
      lang: 'bm',
      label: bambara.recommendations['1.1']!.label,
      summary: bambara.recommendations['1.1']!.summary,
      text: engine.recommendation('1.1')!.text,
    });
    const search = await get('/search?q=ji&lang=bm');
    expect(search.body.lang).toBe('bm');
  });

  it('when no lang is given, then French; when an unknown one is, then a 400 that names the languages', async () => {
    expect((await get('/recommendations/2.15')).body).toMatchObject({
      lang: 'fr',
      label: engine.recommendation('2.15')!.label,
    });
    for (const path of ['/recommendations/2.15?lang=de', '/search?q=eau&lang=xx', '/recommendations?lang=']) {
      const { status, body } = await get(path);
      expect(status, path).toBe(400);
      expect(body).toMatchObject({ error: 'bad_lang' });
      for (const code of ['fr', 'en', 'bm']) expect(String(body.message)).toContain(code);
    }
  });
});

describe('a number searched finds itself (issue 30)', () => {
  it.each(['2.15', '215', '2,15', 'recommandation 2.15'])(
    'when q=%s is searched, then the one answer is 2.15',
    async (q) => {
      const { status, body } = await get(`/search?q=${encodeURIComponent(q)}`);
      expect(status).toBe(200);
      expect(body.verdict).toBe('one');
      expect((body.results as Array<{ id: string }>).map((r) => r.id)).toEqual(['2.15']);
    },
  );

  it('when a number names no recommendation, then nothing is made up', async () => {
    const { body } = await get('/search?q=2.99');
    expect((body.results as Array<{ id: string }>).map((r) => r.id)).not.toContain('2.99');
  });
});
