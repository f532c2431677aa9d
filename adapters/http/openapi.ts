import { z } from 'zod';

/**
 * The API's shapes as zod schemas, and the OpenAPI description served at /api/openapi.json made
 * from them (z.toJSONSchema), so the description cannot drift from what the routes are tested
 * to return (test/api.test.ts validates real answers against the served schemas).
 */

const ThemeSchema = z.object({
  number: z.number().int(),
  title: z.string().describe("The report's words"),
  short: z.string().describe('Our short name, not the report'),
  count: z.number().int(),
});

const RecommendationSchema = z.object({
  id: z.string().describe('"2.15": theme, then number'),
  theme: z.number().int(),
  number: z.number().int(),
  label: z.string().describe('Our short label, not the report'),
  text: z.string().describe("The report's words, verbatim"),
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

const RecommendationPageSchema = z.object({
  page: z.number().int(),
  pages: z.number().int(),
  perPage: z.number().int(),
  total: z.number().int(),
  theme: z.number().int().optional(),
  recommendations: z.array(RecommendationSchema),
});

const ErrorSchema = z.object({ error: z.string(), message: z.string() });

const components = {
  Theme: ThemeSchema,
  Recommendation: RecommendationSchema,
  RecommendationPage: RecommendationPageSchema,
  Error: ErrorSchema,
};

/** draft-7 JSON Schema, without `$schema` (OpenAPI 3.1 schema objects). */
const schemaOf = (schema: z.ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-7' }) as Record<
    string,
    unknown
  >;
  return rest;
};

const ref = (name: keyof typeof components) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = { '400': json(ref('Error'), 'Malformed parameter'), '404': json(ref('Error'), 'Not found') };

export function openApiDocument(options: { maxPerPage: number }) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Inter-Malian Dialogue recommendations',
      version: '1',
      description:
        "The 300 recommendations of the report of 10 May 2024. `text`, `items` and theme `title` are the report's words (French); `label` and `short` are ours.",
    },
    paths: {
      '/api/themes': {
        get: {
          responses: {
            '200': json(
              { type: 'object', properties: { themes: { type: 'array', items: ref('Theme') } } },
              'The themes',
            ),
          },
        },
      },
      '/api/recommendations': {
        get: {
          parameters: [
            { name: 'theme', in: 'query', schema: { type: 'integer', minimum: 1 } },
            { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
            {
              name: 'perPage',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: options.maxPerPage },
            },
          ],
          responses: { '200': json(ref('RecommendationPage'), 'One page of recommendations'), ...errors },
        },
      },
      '/api/recommendations/{id}': {
        get: {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': json(ref('Recommendation'), 'One recommendation'), ...errors },
        },
      },
    },
    components: {
      schemas: Object.fromEntries(
        Object.entries(components).map(([name, schema]) => [name, schemaOf(schema)]),
      ),
    },
  };
}
