import { z } from 'zod';

/**
 * What is publicly known of the follow-up of one recommendation, as an editor published it.
 * This is editorial content about public policy, not personal data: it is kept without expiry,
 * every edit is a new version (nothing is overwritten), and the editor is named by the
 * pseudonym or name they chose for the console, never by a phone number.
 */
export const FOLLOW_UP_STATUSES = ['none', 'announced', 'in_progress', 'done', 'abandoned'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

export const NOTE_MAX = 280;
export const SOURCE_TITLE_MAX = 200;
const EDITOR_MAX = 64;

/** A recommendation id as the catalog writes it: theme digit, dot, number ("2.10"). */
export const RECOMMENDATION_ID = /^[1-9]\.[1-9]\d{0,2}$/;

const noControl = (value: string) => !/[\p{Cc}\p{Cf}]/u.test(value.replace(/\n/g, ''));

/**
 * A source is the title of an official text ("Charte pour la paix et la réconciliation
 * nationale, 7 août 2025") or an https link to it. A link is parsed, not pattern-matched:
 * https only (a plain http link can be rewritten on the way), a host with a dot, no
 * credentials in it; anything else that looks like a URL is refused rather than shown as a title.
 */
const sourceSchema = z
  .string()
  .trim()
  .min(3, 'source too short')
  .max(SOURCE_TITLE_MAX, `source longer than ${SOURCE_TITLE_MAX} characters`)
  .refine(noControl, 'source holds control characters')
  .refine((value) => !/\n/.test(value), 'source on one line')
  .superRefine((value, ctx) => {
    if (!/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^www\./i.test(value)) return;
    if (!URL.canParse(value)) {
      ctx.addIssue({ code: 'custom', message: 'source link is not a valid URL' });
      return;
    }
    const url = new URL(value);
    if (url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'source link must be https' });
    if (url.username || url.password)
      ctx.addIssue({ code: 'custom', message: 'source link must not hold credentials' });
    if (!url.hostname.includes('.'))
      ctx.addIssue({ code: 'custom', message: 'source link host is not public' });
  });

/** A calendar date, YYYY-MM-DD, that exists (no 2025-02-30). */
const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, 'date does not exist')
  .refine((value) => value >= '2024-05-10', 'date before the report (10 May 2024)');

/** What an editor submits. */
const followUpInputSchema = z.object({
  status: z.enum(FOLLOW_UP_STATUSES),
  date: dateSchema,
  source: sourceSchema,
  note: z
    .string()
    .trim()
    .max(NOTE_MAX, `note longer than ${NOTE_MAX} characters`)
    .refine(noControl, 'note holds control characters')
    .default(''),
  editor: z
    .string()
    .trim()
    .min(1, 'editor required')
    .max(EDITOR_MAX)
    .regex(/^[\p{L}\p{N} ._'-]+$/u, "editor: letters, digits, space . _ ' - only"),
});

export type FollowUpInput = z.input<typeof followUpInputSchema>;
export type FollowUpFields = z.output<typeof followUpInputSchema>;

/** One published version. Versions count from 1; the latest is the one shown. */
export interface FollowUpVersion extends FollowUpFields {
  recommendationId: string;
  version: number;
  /** When it was published (ISO 8601, the server's clock). */
  publishedAt: string;
}

export class FollowUpValidationError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid follow-up: ${problems.join('; ')}`);
  }
}

/** Another editor published in between: the edit was made on a version that is no longer the latest. */
export class FollowUpConflictError extends Error {
  constructor(
    public readonly recommendationId: string,
    public readonly expected: number,
    public readonly actual: number,
  ) {
    super(`follow-up ${recommendationId}: expected version ${expected}, latest is ${actual}`);
  }
}

export function validateRecommendationId(id: string): string {
  if (!RECOMMENDATION_ID.test(id)) throw new FollowUpValidationError([`bad recommendation id "${id}"`]);
  return id;
}

export function validateFollowUp(input: FollowUpInput): FollowUpFields {
  const result = followUpInputSchema.safeParse(input);
  if (!result.success) {
    throw new FollowUpValidationError(
      result.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`),
    );
  }
  return result.data;
}

export function isLink(source: string): boolean {
  return /^https:\/\//i.test(source);
}
