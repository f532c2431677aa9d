import { join } from 'node:path';
import type { Request } from 'express';
import { referenceMessages } from '../../src/content/translations.js';
import { REFERENCE_LANG } from '../../src/i18n/index.js';
import type { FollowUpModule } from '../broadcast/compose.js';
import type { ModuleContext, ServiceModule } from '../module.js';
import type { Platform } from '../platform.js';
import { createConsoleAuth } from './auth.js';
import { createConsoleRouter } from './router.js';

/** Failed sign-ins allowed per 15 minutes per client address (console and studio: one login). */
export const CONSOLE_LOGIN_ATTEMPTS = 10;
/**
 * Failed sign-ins allowed per 15 minutes per account name, from all addresses together: above
 * what one address may try, so nobody locks an operator out from one place; a guess spread over
 * many addresses still stops here (audited as `login.locked`).
 */
export const CONSOLE_ACCOUNT_ATTEMPTS = 50;
/** Views of the login page per 15 minutes per address (each stores a 15-minute anonymous session). */
export const CONSOLE_LOGIN_PAGE_VIEWS = 100;

/**
 * The operators' console at /admin (on with CONSOLE_USERS): one login system, shared with the
 * voice line's recording studio (`studio`, adapters/voice/studio/access.ts's shape).
 */
export function create(
  ctx: ModuleContext & Platform,
  deps: {
    broadcasts: FollowUpModule;
    /** How many SMS a broadcast's text costs (the SMS channel's count, injected). */
    countSegments: (text: string) => { segments: number; encoding: 'GSM-7' | 'UCS-2' };
  },
) {
  const { config, corpus, store, clock, logger, consoleRecords, consoleAnalytics } = ctx;
  if (!consoleRecords || !consoleAnalytics) return { routes: [] } satisfies ServiceModule;
  const auth = createConsoleAuth({
    accounts: config.consoleAccounts,
    sessionSecret: config.CONSOLE_SESSION_SECRET,
    sessions: store,
    loginLimiter: ctx.quarterLimiter(CONSOLE_LOGIN_ATTEMPTS),
    accountLimiter: ctx.quarterLimiter(CONSOLE_ACCOUNT_ATTEMPTS),
    loginPageLimiter: ctx.quarterLimiter(CONSOLE_LOGIN_PAGE_VIEWS),
    hashAddress: ctx.hashAddress,
    records: consoleRecords,
    logger,
  });
  const recommendationsById = new Map(corpus.recommendations.map((rec) => [rec.id, rec]));
  const { broadcaster, broadcastsDisabled } = deps.broadcasts;
  const router = createConsoleRouter({
    auth,
    spending: async () => {
      const today = await ctx.spending.caps.today();
      const { sms, call } = ctx.spending.caps.limits;
      return {
        sms: { spent: today.sms, cap: sms.service, ...(sms.person ? { personCap: sms.person } : {}) },
        calls: { spent: today.call, cap: call.service },
      };
    },
    accounts: config.consoleAccounts,
    sessionSecret: config.CONSOLE_SESSION_SECRET,
    retentionDays: config.ANALYTICS_RETENTION_DAYS,
    segmentCost: config.SMS_SEGMENT_COST,
    currency: config.SMS_COST_CURRENCY,
    analytics: consoleAnalytics,
    records: consoleRecords,
    sessions: store,
    // Login attempts: CONSOLE_LOGIN_ATTEMPTS per 15 minutes per address and per account name.
    loginLimiter: ctx.quarterLimiter(CONSOLE_LOGIN_ATTEMPTS),
    loginPageLimiter: ctx.quarterLimiter(CONSOLE_LOGIN_PAGE_VIEWS),
    hashAddress: ctx.hashAddress,
    clock,
    logger,
    news: {
      followUps: ctx.followUps,
      // This instance's channels show a new status at once; others within the snapshot's age.
      onPublished: () => ctx.followUpSnapshot.refresh(),
      recommendation: (id) => {
        const rec = recommendationsById.get(id);
        const theme = rec && corpus.themes.find((t) => t.number === rec.theme);
        return rec && theme
          ? { id, themeShort: theme.short, label: rec.label, text: rec.text, items: rec.items ?? [] }
          : undefined;
      },
      themes: corpus.themes.map((t) => t.number),
      ...(broadcaster ? { broadcaster } : {}),
      ...(broadcastsDisabled ? { broadcastsDisabled } : {}),
      countSegments: deps.countSegments,
      currency: config.SMS_COST_CURRENCY,
    },
    translations: {
      live: ctx.liveTranslations,
      languages: ctx.reviewable.map((l) => ({
        code: l.code,
        name: l.name,
        withSummaries: l.summaries === true,
      })),
      reference: referenceMessages(join(config.CATALOG_DIR, `${REFERENCE_LANG}.json`)),
      corpus,
      glossaries: ctx.glossaries,
      today: () => new Date(clock.now()).toISOString().slice(0, 10),
    },
  });
  return {
    routes: [{ path: '/admin', router }],
    studio: {
      guard: [auth.session, auth.requireUser, auth.requireCapability('record')],
      csrf: auth.csrf,
      csrfToken: (req: Request) => auth.csrfToken(req),
      isCsrfError: (error: unknown) => auth.isCsrfError(error),
      user: (req: Request) => auth.user(req)?.name,
      audit: (req: Request, action: string, detail: string) =>
        consoleRecords.audit({ who: auth.user(req)?.name ?? '', action, detail }),
    },
    close: () => consoleAnalytics.close(),
  };
}
