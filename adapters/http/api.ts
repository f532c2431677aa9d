import { MAX_QUERY_LENGTH } from '../../src/core/limits.js';
import { Router, type Request, type Response } from 'express';
import type { Corpus, Recommendation } from '../../src/content/schema.js';
import type { Engine, SearchOutcome, Theme } from '../../src/core/types.js';
import { findRepeats } from '../../src/content/repeats.js';
import { recLabel, recSummary, themeName, translationsRevision } from '../../src/content/localized.js';
import { isLang, languages, REFERENCE_LANG } from '../../src/i18n/index.js';
import type { Lang } from '../../src/core/types.js';
import { aboutSummary } from '../../src/reply/index.js';
import { openApiDocument } from './openapi.js';

/** Longest accepted `q`, in characters (no one types more; search time grows with length). */
const API_MAX_QUERY_LENGTH = MAX_QUERY_LENGTH;
const API_DEFAULT_LIMIT = 10;
const API_MAX_LIMIT = 50;

/** The corpus changes only with a deploy; search answers are cheap to recompute. */
const CONTENT_CACHE = 'public, max-age=3600';
const SEARCH_CACHE = 'public, max-age=300';

/**
 * The public JSON API over the corpus: also what the simulator and others build on. Error
 * bodies are `{ error: code, message }`; messages are for developers, in English. `text`,
 * `items` and theme `title` are the report's words; `label`, `short`, `summary` and
 * `about.summary` are ours, in the language `lang` asks for (fr by default).
 */
/** An answer of the API as JSON text, with its caching rule. */
export interface ApiAnswer {
  status: number;
  cache: string;
  json: string;
}

function failure(status: number, error: string, message: string): ApiAnswer {
  return { status, cache: 'no-store', json: JSON.stringify({ error, message }) };
}

/**
 * The API's routes, and `search`: the answer to `GET /api/search` from its query's fields, which
 * the search's fast lane also calls (api-lane.ts).
 */
export function createApi({ engine, corpus }: { engine: Engine; corpus: Corpus }): {
  router: Router;
  search(fields: Record<string, unknown>): ApiAnswer;
} {
  const router = Router();
  const countOf = (theme: number) => engine.recommendationsOf(theme).length;
  const themeJson = (theme: Theme, lang: Lang) => ({
    number: theme.number,
    title: theme.title,
    short: themeName(theme, lang),
    count: countOf(theme.number),
  });
  const repeats = findRepeats(corpus.recommendations);
  const recommendationJson = (r: Recommendation, lang: Lang) => {
    const summary = recSummary(r, lang);
    return {
      id: r.id,
      theme: r.theme,
      number: r.number,
      label: recLabel(r, lang),
      ...(summary ? { summary } : {}),
      ...reportJson(r),
    };
  };
  const reportJson = (r: Recommendation) => ({
    text: r.text,
    ...(r.items ? { items: r.items } : {}),
    place: { theme: r.theme, themeTitle: engine.theme(r.theme)?.title ?? '', number: r.number },
    repeats: repeats.get(r.id) ?? [],
    ...followUpJson(r.id),
  });
  /** An editor's follow-up, without the editor's name (an operator, not public). */
  const followUpJson = (id: string) => {
    const entry = engine.followUpOf(id);
    if (!entry) return {};
    const { status, date, source, note, version, publishedAt } = entry;
    return { followUp: { status, date, source, ...(note ? { note } : {}), version, publishedAt } };
  };
  const openApi = openApiDocument({
    maxPerPage: API_MAX_LIMIT,
    maxQuery: API_MAX_QUERY_LENGTH,
    langs: languages().map((language) => language.code),
  });
  /** `lang` from a query: a known language (fr when absent), or null when it names none. */
  const langOf = (fields: Record<string, unknown>): Lang | null => {
    const raw = fields.lang;
    if (raw === undefined) return REFERENCE_LANG;
    return typeof raw === 'string' && isLang(raw) ? raw : null;
  };
  const badLang = () =>
    failure(
      400,
      'bad_lang',
      `lang must be one of ${languages()
        .map((language) => language.code)
        .join(', ')}`,
    );

  router.get('/openapi.json', (_req, res) => {
    res.set('Cache-Control', CONTENT_CACHE).json(openApi);
  });

  router.get('/recommendations', (req, res) => {
    const lang = langOf(req.query);
    if (lang === null) return void send(res, badLang());
    const whole = (name: string, min: number, max: number): number | undefined | null => {
      const raw = single(req, name);
      if (raw === undefined) return Array.isArray(req.query[name]) ? null : undefined;
      const n = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
      return n >= min && n <= max ? n : null;
    };
    const theme = whole('theme', 1, corpus.themes.length);
    const page = whole('page', 1, 9999);
    const perPage = whole('perPage', 1, API_MAX_LIMIT);
    if (theme === null) {
      fail(res, 400, 'bad_theme', `theme must be a number from 1 to ${corpus.themes.length}`);
      return;
    }
    if (page === null || perPage === null) {
      fail(res, 400, 'bad_page', `page is a whole number from 1, perPage from 1 to ${API_MAX_LIMIT}`);
      return;
    }
    const all = theme === undefined ? corpus.recommendations : engine.recommendationsOf(theme);
    const size = perPage ?? API_DEFAULT_LIMIT;
    const pages = Math.max(1, Math.ceil(all.length / size));
    const at = page ?? 1;
    if (at > pages) {
      fail(res, 404, 'page_not_found', `page ${at} does not exist: there are ${pages}`);
      return;
    }
    res.set('Cache-Control', CONTENT_CACHE).json({
      lang,
      page: at,
      pages,
      perPage: size,
      total: all.length,
      ...(theme === undefined ? {} : { theme }),
      recommendations: all.slice((at - 1) * size, at * size).map((r) => recommendationJson(r, lang)),
    });
  });

  // Each recommendation's JSON without its closing brace, by id and language, made on first use
  // (a translation published from the console changes the revision, so none goes stale).
  const hitPrefixes = new Map<string, string>();
  const hitJson = (r: Recommendation, score: number, lang: Lang): string => {
    const key = `${translationsRevision()}:${lang}:${r.id}`;
    let prefix = hitPrefixes.get(key);
    if (prefix === undefined) {
      prefix = JSON.stringify(recommendationJson(r, lang)).slice(0, -1);
      if (hitPrefixes.size >= 3000) hitPrefixes.clear();
      hitPrefixes.set(key, prefix);
    }
    return `${prefix},"score":${JSON.stringify(score)}}`;
  };

  router.get('/themes', (req, res) => {
    const lang = langOf(req.query);
    if (lang === null) return void send(res, badLang());
    res
      .set('Cache-Control', CONTENT_CACHE)
      .json({ lang, themes: corpus.themes.map((theme) => themeJson(theme, lang)) });
  });

  router.get('/themes/:n', (req, res) => {
    const lang = langOf(req.query);
    if (lang === null) return void send(res, badLang());
    const raw = req.params.n;
    if (!/^\d{1,3}$/.test(raw)) {
      fail(res, 400, 'bad_theme', `theme must be a number from 1 to ${corpus.themes.length}`);
      return;
    }
    const theme = engine.theme(Number(raw));
    if (!theme) {
      fail(
        res,
        404,
        'theme_not_found',
        `theme ${raw} does not exist: themes are 1 to ${corpus.themes.length}`,
      );
      return;
    }
    res.set('Cache-Control', CONTENT_CACHE).json({
      lang,
      theme: themeJson(theme, lang),
      recommendations: engine.recommendationsOf(theme.number).map((r) => recommendationJson(r, lang)),
    });
  });

  router.get('/recommendations/:id', (req, res) => {
    const lang = langOf(req.query);
    if (lang === null) return void send(res, badLang());
    const raw = req.params.id;
    const found = raw.length <= 16 ? engine.recommendation(raw) : undefined;
    if (!found) {
      const match = /^(\d)[.,-](\d{1,3})$/.exec(raw.trim());
      const theme = match ? engine.theme(Number(match[1])) : undefined;
      const message = theme
        ? `recommendation ${raw} does not exist: theme ${theme.number} has ${theme.number}.1 to ${theme.number}.${countOf(theme.number)}`
        : `recommendation ${raw.slice(0, 16)} does not exist: ids look like 2.15 (theme 1 to ${corpus.themes.length}, then the number)`;
      fail(res, 404, 'recommendation_not_found', message);
      return;
    }
    const theme = engine.theme(found.theme);
    res.set('Cache-Control', CONTENT_CACHE).json({
      lang,
      ...recommendationJson(found, lang),
      ...(theme ? { themeTitle: theme.title } : {}),
    });
  });

  /** A search from its query's fields (as express's simple parser gives them), as JSON text. */
  const search = (fields: Record<string, unknown>): ApiAnswer => {
    if (Array.isArray(fields.q)) return failure(400, 'bad_query', 'give q once');
    const q = typeof fields.q === 'string' ? fields.q : undefined;
    if (q === undefined || q.trim() === '')
      return failure(400, 'missing_query', 'give the words to search for in q, e.g. /api/search?q=eau');
    if (q.length > API_MAX_QUERY_LENGTH)
      return failure(400, 'query_too_long', `q is limited to ${API_MAX_QUERY_LENGTH} characters`);
    const rawLimit = typeof fields.limit === 'string' ? fields.limit : undefined;
    let limit = API_DEFAULT_LIMIT;
    if (rawLimit !== undefined) {
      limit = /^\d{1,3}$/.test(rawLimit) ? Number(rawLimit) : NaN;
      if (!(limit >= 1 && limit <= API_MAX_LIMIT))
        return failure(400, 'bad_limit', `limit must be a whole number from 1 to ${API_MAX_LIMIT}`);
    }
    const lang = langOf(fields);
    if (lang === null) return badLang();
    const query = q.trim();
    // A number ("2.15", "215", "recommandation 2.15") is that recommendation, as every channel reads it.
    const named = engine.parse(query);
    const found =
      named.kind === 'recommendation' ? engine.recommendation(named.theme, named.number) : undefined;
    const outcome: SearchOutcome = found
      ? { query, verdict: 'one', hits: [{ recommendation: found, score: 1 }] }
      : engine.search(query, limit);
    const hits = outcome.verdict === 'none' ? [] : outcome.hits.slice(0, limit);
    // The same JSON as res.json({ query, verdict, suggestion?, results: [{ ...rec, score }] }),
    // built from each recommendation's JSON serialised once (the report's text is most of it).
    const results = hits.map((hit) =>
      hitJson(hit.recommendation, Math.round(hit.score * 10_000) / 10_000, lang),
    );
    const suggestion =
      'suggestion' in outcome && outcome.suggestion
        ? `,"suggestion":${JSON.stringify(outcome.suggestion)}`
        : '';
    // close: "close results", not an exact answer; theme: the theme a topic word names;
    // notInReport: a subject the report does not speak of.
    const flags =
      (outcome.close && hits.length > 0 ? ',"close":true' : '') +
      (outcome.theme !== undefined && hits.length > 0 ? `,"theme":${outcome.theme}` : '') +
      (outcome.notInReport ? ',"notInReport":true' : '');
    return {
      status: 200,
      cache: SEARCH_CACHE,
      json: `{"query":${JSON.stringify(query)},"lang":${JSON.stringify(lang)},"verdict":${JSON.stringify(outcome.verdict)}${suggestion}${flags},"results":[${results.join(',')}]}`,
    };
  };

  router.get('/search', (req, res) => {
    const answer = search(req.query as Record<string, unknown>);
    res
      .status(answer.status)
      .set('Cache-Control', answer.cache)
      .set('Content-Type', 'application/json')
      .send(answer.json);
  });

  router.get('/about', (req, res) => {
    const lang = langOf(req.query);
    if (lang === null) return void send(res, badLang());
    res.set('Cache-Control', CONTENT_CACHE).json({
      lang,
      about: { ...corpus.about, summary: aboutSummary(lang) },
      themes: corpus.themes.map((theme) => themeJson(theme, lang)),
      recommendationCount: corpus.recommendations.length,
    });
  });

  return { router, search };
}

/** One string value of a query parameter; undefined when absent, repeated or not a string. */
function single(req: Request, name: string): string | undefined {
  const value: unknown = (req.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function send(res: Response, answer: ApiAnswer): void {
  res
    .status(answer.status)
    .set('Cache-Control', answer.cache)
    .set('Content-Type', 'application/json')
    .send(answer.json);
}

function fail(res: Response, status: number, error: string, message: string): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error, message });
}
