import { z } from 'zod';
import { REFERENCE_LANG } from '../../src/i18n/index.js';

/**
 * The API's shapes as zod schemas, and the OpenAPI description served at /api/openapi.json made
 * from them (z.toJSONSchema): every route's parameters and answers come from `API_ROUTES`, so the
 * description cannot drift from what the routes are tested to return (test/api-openapi.test.ts
 * lists the app's routes and validates real answers against the served schemas).
 */

const ours = (what: string) => `${what}: ours, not the report's words, in the language asked (lang)`;

const ThemeSchema = z.object({
  number: z.number().int(),
  title: z.string().describe("The report's words (French)"),
  short: z.string().describe(ours('Our short name')),
  count: z.number().int(),
});

const RecommendationSchema = z.object({
  id: z.string().describe('"2.15": theme, then number'),
  theme: z.number().int(),
  number: z.number().int(),
  label: z.string().describe(ours('Our short label')),
  summary: z.string().optional().describe(ours('Our plain-language summary, where the language has one')),
  text: z.string().describe("The report's words, verbatim (French)"),
  items: z.array(z.string()).optional(),
  themeTitle: z.string().optional().describe('On /api/recommendations/{id}: the theme title'),
  place: z
    .object({ theme: z.number().int(), themeTitle: z.string(), number: z.number().int() })
    .describe('Where it stands in the report, to cite it'),
  repeats: z
    .array(z.object({ id: z.string(), kind: z.enum(['same', 'near']) }))
    .describe('Other recommendations with the same (or nearly the same) words, computed from the corpus'),
  followUp: z
    .object({
      status: z.enum(['none', 'announced', 'in_progress', 'done', 'abandoned']),
      date: z.string().describe('YYYY-MM-DD'),
      source: z.string().describe('An official text or an https link'),
      note: z.string().optional(),
      version: z.number().int(),
      publishedAt: z.string(),
    })
    .optional()
    .describe('Ours, not the report: the follow-up an editor published, with its source; absent when none'),
});

const Lang = z
  .string()
  .describe(
    "The language of what is ours (labels, names, summaries): a catalog's code, as the lang parameter lists",
  );

export const RecommendationPageSchema = z.object({
  lang: Lang,
  page: z.number().int(),
  pages: z.number().int(),
  perPage: z.number().int(),
  total: z.number().int(),
  theme: z.number().int().optional(),
  recommendations: z.array(RecommendationSchema),
});

export const OneRecommendationSchema = RecommendationSchema.extend({ lang: Lang });

export const ThemeListSchema = z.object({ lang: Lang, themes: z.array(ThemeSchema) });

export const ThemeWithRecommendationsSchema = z.object({
  lang: Lang,
  theme: ThemeSchema,
  recommendations: z.array(RecommendationSchema),
});

export const SearchAnswerSchema = z.object({
  query: z.string(),
  lang: Lang,
  verdict: z
    .enum(['one', 'several', 'none'])
    .describe('one: a clear answer; several: a list; none: nothing close'),
  suggestion: z.string().optional().describe('A corrected query when the words looked misspelt'),
  close: z.literal(true).optional().describe('Close results, not an exact answer'),
  theme: z.number().int().optional().describe('The theme a topic word names'),
  notInReport: z.literal(true).optional().describe('A subject the report does not speak of'),
  results: z.array(RecommendationSchema.extend({ score: z.number() })),
});

export const AboutSchema = z.object({
  lang: Lang,
  about: z
    .object({
      title: z.string(),
      announced: z.string(),
      operationalStart: z.string(),
      phases: z.array(
        z.object({
          name: z.string(),
          from: z.string().optional(),
          to: z.string().optional(),
          where: z.string().optional(),
        }),
      ),
      communes: z.number().int(),
      relocatedCommunes: z.number().int(),
      regions: z.number().int(),
      embassiesAndConsulates: z.number().int(),
      delegates: z.array(z.object({ kind: z.string(), count: z.number().int().nullable() })),
      reportDate: z.string(),
      reportPlace: z.string(),
      summary: z.string().describe(ours('Our summary of the Dialogue')),
    })
    .describe("The Dialogue's facts as the report states them (French), and our summary"),
  themes: z.array(ThemeSchema),
  recommendationCount: z.number().int(),
});

export const ErrorSchema = z.object({ error: z.string(), message: z.string() });

const components = {
  Theme: ThemeSchema,
  Recommendation: RecommendationSchema,
  OneRecommendation: OneRecommendationSchema,
  RecommendationPage: RecommendationPageSchema,
  ThemeList: ThemeListSchema,
  ThemeWithRecommendations: ThemeWithRecommendationsSchema,
  SearchAnswer: SearchAnswerSchema,
  About: AboutSchema,
  Error: ErrorSchema,
};
type Component = keyof typeof components;

interface Parameter {
  name: string;
  in: 'query' | 'path';
  required?: boolean;
  description: string;
  schema: z.ZodType;
}

/** One route: its path (OpenAPI's form), what it answers, its parameters. */
export interface ApiRoute {
  path: string;
  summary: string;
  answer: Component | 'OpenApi';
  parameters: Parameter[];
  /** Statuses of its errors besides 200 (400 malformed, 404 not found). */
  errors: Array<'400' | '404'>;
}

/** Every route of the API, the description's single source. */
function apiRoutes(options: { maxPerPage: number; maxQuery: number; langs: readonly string[] }): ApiRoute[] {
  const lang: Parameter = {
    name: 'lang',
    in: 'query',
    description: 'The language of our labels, names and summaries (the report is French). Default fr.',
    schema: z.enum(options.langs as [string, ...string[]]).default(REFERENCE_LANG),
  };
  return [
    {
      path: '/api/themes',
      summary: 'The five themes',
      answer: 'ThemeList',
      parameters: [lang],
      errors: ['400'],
    },
    {
      path: '/api/themes/{n}',
      summary: 'One theme and its recommendations',
      answer: 'ThemeWithRecommendations',
      parameters: [
        { name: 'n', in: 'path', required: true, description: 'The theme, 1 to 5', schema: z.int().min(1) },
        lang,
      ],
      errors: ['400', '404'],
    },
    {
      path: '/api/recommendations',
      summary: 'The recommendations, a page at a time, all or one theme',
      answer: 'RecommendationPage',
      parameters: [
        { name: 'theme', in: 'query', description: 'Only this theme', schema: z.int().min(1) },
        { name: 'page', in: 'query', description: 'From 1', schema: z.int().min(1).default(1) },
        {
          name: 'perPage',
          in: 'query',
          description: 'Recommendations a page',
          schema: z.int().min(1).max(options.maxPerPage),
        },
        lang,
      ],
      errors: ['400', '404'],
    },
    {
      path: '/api/recommendations/{id}',
      summary: 'One recommendation',
      answer: 'OneRecommendation',
      parameters: [
        {
          name: 'id',
          in: 'path',
          required: true,
          description: '"2.15": theme, then number',
          schema: z.string(),
        },
        lang,
      ],
      errors: ['400', '404'],
    },
    {
      path: '/api/search',
      summary: 'A search as people type it (words, or a number such as 2.15)',
      answer: 'SearchAnswer',
      parameters: [
        {
          name: 'q',
          in: 'query',
          required: true,
          description: 'The words, or a recommendation number (2.15)',
          schema: z.string().min(1).max(options.maxQuery),
        },
        {
          name: 'limit',
          in: 'query',
          description: 'Results at most',
          schema: z.int().min(1).max(options.maxPerPage),
        },
        lang,
      ],
      errors: ['400'],
    },
    {
      path: '/api/about',
      summary: 'The Dialogue, and our summary',
      answer: 'About',
      parameters: [lang],
      errors: ['400'],
    },
    { path: '/api/openapi.json', summary: 'This description', answer: 'OpenApi', parameters: [], errors: [] },
  ];
}

/** draft-7 JSON Schema, without `$schema` (OpenAPI 3.1 schema objects). */
const schemaOf = (schema: z.ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }) as Record<
    string,
    unknown
  >;
  return rest;
};

const ref = (name: Component) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const ERRORS = { '400': 'Malformed parameter', '404': 'Not found' } as const;

export function openApiDocument(options: { maxPerPage: number; maxQuery: number; langs: readonly string[] }) {
  const paths = Object.fromEntries(
    apiRoutes(options).map((route) => [
      route.path,
      {
        get: {
          summary: route.summary,
          parameters: route.parameters.map((p) => ({
            name: p.name,
            in: p.in,
            ...(p.required ? { required: true } : {}),
            description: p.description,
            schema: schemaOf(p.schema),
          })),
          responses: {
            '200': json(route.answer === 'OpenApi' ? { type: 'object' } : ref(route.answer), route.summary),
            ...Object.fromEntries(route.errors.map((status) => [status, json(ref('Error'), ERRORS[status])])),
          },
        },
      },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Inter-Malian Dialogue recommendations',
      version: '1',
      description:
        "The 300 recommendations of the report of 10 May 2024. `text`, `items` and theme `title` are the report's words (French); `label`, `short` and `summary` are ours, in the language `lang` asks for.",
    },
    paths,
    components: {
      schemas: Object.fromEntries(
        Object.entries(components).map(([name, schema]) => [name, schemaOf(schema)]),
      ),
    },
  };
}
