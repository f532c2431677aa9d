import type { Request, RequestHandler, Response, Router } from 'express';
import {
  BroadcastConflictError,
  BroadcastValidationError,
  type BroadcastDraft,
  type SegmentCounter,
} from '../../src/broadcast/model.js';
import {
  FollowUpConflictError,
  FollowUpValidationError,
  RECOMMENDATION_ID,
  type FollowUpStatus,
} from '../../src/followup/model.js';
import type { FollowUpStore } from '../../src/followup/store.js';
import { languageCodes, REFERENCE_LANG } from '../../src/i18n/index.js';
import type { Audience } from '../../src/subscriptions/model.js';
import { newBroadcastId, type Broadcaster } from '../broadcast/broadcaster.js';
import {
  emptyForm,
  broadcastPage,
  broadcastsPage,
  dryRunPage,
  type BroadcastForm,
} from './broadcast-pages.js';
import {
  followUpListPage,
  followUpPage,
  type FollowUpForm,
  type RecommendationView,
} from './followup-pages.js';
import { messagePage, type PageContext } from './pages.js';
import type { ConsoleRecords } from './records.js';
import { langSuffix, tr, type ConsoleLang } from './strings.js';

/** What the console needs of the follow-up and broadcast modules. */
export interface NewsOptions {
  followUps: FollowUpStore;
  /** Called after a publication so this instance's channels show it at once. */
  onPublished: () => Promise<void>;
  recommendation: (id: string) => RecommendationView | undefined;
  themes: number[];
  broadcaster?: Pick<Broadcaster, 'dryRun' | 'start' | 'progress' | 'list'>;
  broadcastsDisabled?: string;
  countSegments: SegmentCounter;
  currency: string;
}

/** The router's shared pieces the news pages reuse (session, CSRF, roles). */
export interface ConsoleKit {
  context: (req: Request) => PageContext;
  langOf: (req: Request) => ConsoleLang;
  requireUser: RequestHandler;
  csrf: RequestHandler;
  mayEdit: (req: Request) => boolean;
  mayBroadcast: (req: Request) => boolean;
  /** Answers 403: the signed-in role may not do this. */
  forbid: (req: Request, res: Response) => void;
  records: ConsoleRecords;
}

/** A broadcast id as `newBroadcastId` makes them: nothing else reaches a store key. */
const BROADCAST_ID = /^b[0-9a-z]{6,40}$/;

const field = (body: Record<string, unknown>, name: string, max: number) =>
  typeof body[name] === 'string' ? (body[name] as string).slice(0, max) : '';

/** "all", "theme:3", "lang:bm" → an Audience; anything else is refused. */
function parseAudience(value: string, themes: number[]): Audience | undefined {
  if (value === 'all') return { kind: 'all' };
  const [kind, arg = ''] = value.split(':');
  if (kind === 'theme' && themes.includes(Number(arg))) return { kind: 'theme', theme: Number(arg) };
  if (kind === 'lang' && languageCodes().includes(arg)) return { kind: 'lang', lang: arg };
  return undefined;
}

function broadcastForm(body: Record<string, unknown>): BroadcastForm {
  const texts = Object.fromEntries(languageCodes().map((lang) => [lang, field(body, lang, 1000)]));
  return { texts, audience: field(body, 'audience', 20) || 'all' };
}

function draftOf(form: BroadcastForm, themes: number[]): BroadcastDraft | undefined {
  const audience = parseAudience(form.audience, themes);
  if (!audience) return undefined;
  const messages: BroadcastDraft['messages'] = { [REFERENCE_LANG]: form.texts[REFERENCE_LANG] ?? '' };
  for (const [lang, text] of Object.entries(form.texts)) if (text.trim()) messages[lang] = text;
  return { messages, audience };
}

/**
 * Follow-up editing (editors) and broadcasts (broadcasters) at /admin/followups and
 * /admin/broadcasts. Everyone signed in reads; every change is audited under the operator's
 * account name. A broadcast is sent only from its dry-run page, whose form carries a fresh
 * broadcast id: a repeated POST (double click, retried request) starts the same broadcast once.
 */
export function mountNewsRoutes(router: Router, kit: ConsoleKit, news: NewsOptions): void {
  const { context, langOf, requireUser, csrf } = kit;
  const notFound = (req: Request, res: Response, key: 'fu.unknownRec' | 'error.unknown') =>
    res
      .status(404)
      .type('html')
      .send(messagePage(context(req), tr(langOf(req), key)));

  router.get('/followups', requireUser, async (req, res) => {
    res.type('html').send(followUpListPage(context(req), await news.followUps.all()));
  });

  router.get('/followups/open', requireUser, (req, res) => {
    const id = typeof req.query.id === 'string' ? req.query.id.trim() : '';
    const lang = langSuffix(langOf(req));
    if (RECOMMENDATION_ID.test(id) && news.recommendation(id))
      res.redirect(303, `/admin/followups/${id}${lang}`);
    else
      res
        .status(404)
        .type('html')
        .send(followUpListPage(context(req), [], tr(langOf(req), 'fu.unknownRec')));
  });

  router.get('/followups/:id', requireUser, async (req, res) => {
    const id = req.params.id as string;
    const rec = RECOMMENDATION_ID.test(id) ? news.recommendation(id) : undefined;
    if (!rec) return notFound(req, res, 'fu.unknownRec');
    const saved = typeof req.query.saved === 'string' ? req.query.saved : '';
    res.type('html').send(
      followUpPage(context(req), rec, await news.followUps.history(id), {
        canEdit: kit.mayEdit(req),
        ...(/^\d+$/.test(saved) ? { notice: tr(langOf(req), 'fu.saved', { version: saved }) } : {}),
      }),
    );
  });

  router.post('/followups/:id', requireUser, csrf, async (req, res) => {
    if (!kit.mayEdit(req)) return kit.forbid(req, res);
    const id = req.params.id as string;
    const rec = RECOMMENDATION_ID.test(id) ? news.recommendation(id) : undefined;
    if (!rec) return notFound(req, res, 'fu.unknownRec');
    const body = req.body as Record<string, unknown>;
    const form: FollowUpForm = {
      status: field(body, 'status', 20),
      date: field(body, 'date', 10),
      source: field(body, 'source', 400),
      note: field(body, 'note', 600),
    };
    // The version the editor read: required, a whole number. Anything else (a hand-made form,
    // "abc", "-1") would have published without the conflict check.
    const expectedField = field(body, 'expectedVersion', 6);
    const expected = /^\d{1,6}$/.test(expectedField) ? Number(expectedField) : undefined;
    const who = req.session.user!.name;
    const again = async (status: number, problems: string[]) =>
      res
        .status(status)
        .type('html')
        .send(
          followUpPage(context(req), rec, await news.followUps.history(id), {
            canEdit: true,
            problems,
            form,
          }),
        );
    if (expected === undefined) return again(400, [tr(langOf(req), 'fu.staleForm')]);
    try {
      const version = await news.followUps.publish(
        id,
        {
          status: form.status as FollowUpStatus,
          date: form.date!,
          source: form.source!,
          note: form.note,
          editor: who,
        },
        { expectedVersion: expected },
      );
      await kit.records.audit({
        who,
        action: 'followup.publish',
        detail: `${id} v${version.version} ${version.status}`,
      });
      await news.onPublished();
      const lang = langSuffix(langOf(req), '&');
      res.redirect(303, `/admin/followups/${id}?saved=${version.version}${lang}`);
    } catch (error) {
      if (error instanceof FollowUpValidationError) return again(400, error.problems);
      if (error instanceof FollowUpConflictError)
        return again(409, [tr(langOf(req), 'fu.conflict', { actual: error.actual })]);
      throw error;
    }
  });

  const listBroadcasts = async () => {
    if (!news.broadcaster) return [];
    const ids = (await news.broadcaster.list()).slice(0, 50);
    const all = await Promise.all(ids.map((id) => news.broadcaster!.progress(id)));
    return all.filter((p) => p !== undefined);
  };
  const composerPage = async (req: Request, form: BroadcastForm) =>
    broadcastsPage(context(req), {
      ...(news.broadcaster ? {} : { disabled: news.broadcastsDisabled ?? 'off' }),
      canSend: kit.mayBroadcast(req),
      form,
      themes: news.themes,
      count: news.countSegments,
      broadcasts: await listBroadcasts(),
    });

  router.get('/broadcasts', requireUser, async (req, res) => {
    res.type('html').send(await composerPage(req, emptyForm()));
  });

  /** The composer's live counter: segments and encoding as the SMS gateway will count them. */
  router.post('/broadcasts/count', requireUser, csrf, (req, res) => {
    const text = field(req.body as Record<string, unknown>, 'text', 1000);
    res.json({ characters: [...text].length, ...news.countSegments(text) });
  });

  const broadcaster = (req: Request, res: Response) => {
    if (!kit.mayBroadcast(req)) {
      kit.forbid(req, res);
      return undefined;
    }
    if (!news.broadcaster) {
      res
        .status(409)
        .type('html')
        .send(
          messagePage(
            context(req),
            tr(langOf(req), 'bc.disabled', { reason: news.broadcastsDisabled ?? 'off' }),
          ),
        );
      return undefined;
    }
    return news.broadcaster;
  };

  router.post('/broadcasts/dry-run', requireUser, csrf, async (req, res) => {
    const engine = broadcaster(req, res);
    if (!engine) return;
    const form = broadcastForm(req.body as Record<string, unknown>);
    const draft = draftOf(form, news.themes);
    if (!draft) return notFound(req, res, 'error.unknown');
    const plan = await engine.dryRun(draft);
    res
      .status(plan.problems.length ? 400 : 200)
      .type('html')
      .send(dryRunPage(context(req), plan, form, newBroadcastId(), { currency: news.currency }));
  });

  router.post('/broadcasts/send', requireUser, csrf, async (req, res) => {
    const engine = broadcaster(req, res);
    if (!engine) return;
    const body = req.body as Record<string, unknown>;
    const form = broadcastForm(body);
    const draft = draftOf(form, news.themes);
    if (!draft) return notFound(req, res, 'error.unknown');
    const who = req.session.user!.name;
    const requested = field(body, 'id', 48);
    try {
      // A second click or a retried request names a broadcast already started: it is resumed
      // (nothing sent twice), and the audit log says so rather than "sent" again.
      const already = BROADCAST_ID.test(requested) ? await engine.progress(requested) : undefined;
      const id = await engine.start(draft, requested);
      await kit.records.audit({
        who,
        action: already ? 'broadcast.resume' : 'broadcast.send',
        detail: `${id} ${form.audience}`,
      });
      res.redirect(303, `/admin/broadcasts/${id}${langSuffix(langOf(req))}`);
    } catch (error) {
      if (error instanceof BroadcastConflictError) {
        await kit.records.audit({ who, action: 'broadcast.refused', detail: `${error.id} another message` });
        res
          .status(409)
          .type('html')
          .send(messagePage(context(req), tr(langOf(req), 'bc.conflict')));
        return;
      }
      if (!(error instanceof BroadcastValidationError)) throw error;
      res
        .status(400)
        .type('html')
        .send(messagePage(context(req), error.problems.join('; ')));
    }
  });

  const progressOf = (id: string) => (BROADCAST_ID.test(id) ? news.broadcaster?.progress(id) : undefined);

  router.get('/broadcasts/:id', requireUser, async (req, res) => {
    const progress = await progressOf(req.params.id as string);
    if (!progress) return notFound(req, res, 'error.unknown');
    res.type('html').send(broadcastPage(context(req), progress));
  });

  router.get('/broadcasts/:id/progress', requireUser, async (req, res) => {
    const progress = await progressOf(req.params.id as string);
    if (!progress) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    res.json(progress);
  });
}
