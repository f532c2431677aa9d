import { z } from 'zod';

/** Shape of content/recommendations.json. The words of the report live in `title`, `text` and `items`; `short` and `label` are ours (our summary of the Dialogue is the catalogs' `about.summary`). */
export const THEME_COUNTS = [41, 51, 59, 81, 68] as const;
export const THEME_SHORT_MAX = 24;
export const LABEL_MAX = 40;

const ThemeSchema = z.object({
  number: z.number().int().min(1).max(5),
  title: z.string().min(1),
  short: z.string().min(1).max(THEME_SHORT_MAX),
});

const RecommendationSchema = z.object({
  id: z.string().regex(/^[1-5]\.\d{1,2}$/),
  theme: z.number().int().min(1).max(5),
  number: z.number().int().min(1),
  text: z.string().min(1),
  items: z.array(z.string().min(1)).min(1).optional(),
  label: z.string().min(1).max(LABEL_MAX),
});

const IsoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** `from`, `to` and `where` are absent when the report does not state them (it gives no dates or place for the national phase). */
const PhaseSchema = z.object({
  name: z.string(),
  from: IsoDateSchema.optional(),
  to: IsoDateSchema.optional(),
  where: z.string().optional(),
});

export const AboutSchema = z.object({
  title: z.string(),
  announced: z.string(),
  operationalStart: z.string(),
  phases: z.array(PhaseSchema).min(1),
  communes: z.number().int(),
  relocatedCommunes: z.number().int(),
  regions: z.number().int(),
  embassiesAndConsulates: z.number().int(),
  delegates: z.array(z.object({ kind: z.string(), count: z.number().int().nullable() })).min(1),
  reportDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  reportPlace: z.string(),
  /**
   * A copy of the catalogs' `about.summary` (ours, not the report's) for those who read this file
   * without the service: the USSD peer benchmark (../shared/bench/peer-ussd) builds its About
   * screens from it. The service reads the catalogs; content/editorial.json carries it into the build and
   * test/content-summary.test.ts keeps it equal to the catalogs.
   */
  summary: z.object({ fr: z.string(), en: z.string() }).optional(),
});

export const CorpusSchema = z
  .object({
    themes: z.array(ThemeSchema).length(5),
    recommendations: z.array(RecommendationSchema),
    about: AboutSchema,
  })
  .superRefine((corpus, ctx) => {
    const seen = new Set<string>();
    corpus.recommendations.forEach((rec, index) => {
      if (rec.id !== `${rec.theme}.${rec.number}`) {
        ctx.addIssue({
          code: 'custom',
          path: ['recommendations', index, 'id'],
          message: `id ${rec.id} does not match theme ${rec.theme} number ${rec.number}`,
        });
      }
      if (seen.has(rec.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['recommendations', index, 'id'],
          message: `duplicate id ${rec.id}`,
        });
      }
      seen.add(rec.id);
    });
    THEME_COUNTS.forEach((count, i) => {
      const theme = i + 1;
      const numbers = corpus.recommendations.filter((r) => r.theme === theme).map((r) => r.number);
      const consecutive = numbers.length === count && numbers.every((n, k) => n === k + 1);
      if (!consecutive) {
        ctx.addIssue({
          code: 'custom',
          path: ['recommendations'],
          message: `theme ${theme} must hold recommendations 1..${count} in order, found ${numbers.length}`,
        });
      }
    });
  });

export type Theme = z.infer<typeof ThemeSchema>;
export type Recommendation = z.infer<typeof RecommendationSchema>;
export type About = z.infer<typeof AboutSchema>;
export type Corpus = z.infer<typeof CorpusSchema>;
