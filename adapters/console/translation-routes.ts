import type { Request, RequestHandler, Response, Router } from 'express';
import multer from 'multer';
import type { Corpus } from '../../src/content/schema.js';
import type { Glossary } from '../../src/content/glossary.js';
import {
  applyChanges,
  checkState,
  countStates,
  entryReview,
  entryText,
  parseEntryId,
  type Change,
} from '../../src/content/lang-state.js';
import { exportPo, importPo, PO_PARTS, type PoPart } from '../../src/content/po.js';
import { LABEL_MAX, THEME_SHORT_MAX } from '../../src/content/schema.js';
import { SUMMARY_MAX } from '../../src/content/translations.js';
import { SCREEN_MAX, type Review } from '../../src/i18n/catalog.js';
import type { LiveTranslations } from '../../src/translations/live.js';
import { TranslationConflictError } from '../../src/translations/store.js';
import { messagePage, type PageContext } from './pages.js';
import type { ConsoleRecords } from './records.js';
import { langSuffix, tr, type ConsoleLang } from './strings.js';
import {
  entryPage,
  problemText,
  translationsPage,
  uploadPage,
  type EntryView,
  type LangOverview,
  type Verdict,
} from './translation-pages.js';

/** What the console needs to review translations (issue 31). */
export interface TranslationOptions {
  live: LiveTranslations;
  /** Languages reviewers work on (every one but French), with their names. */
  languages: Array<{ code: string; name: string; withSummaries: boolean }>;
  reference: Record<string, string>;
  corpus: Corpus;
  glossaries: Map<string, Glossary>;
  /** Today, YYYY-MM-DD: the date a review is recorded with. */
  today: () => string;
}

export interface TranslationKit {
  context: (req: Request) => PageContext;
  langOf: (req: Request) => ConsoleLang;
  requireUser: RequestHandler;
  csrf: RequestHandler;
  mayTranslate: (req: Request) => boolean;
  forbid: (req: Request, res: Response) => void;
  records: ConsoleRecords;
}

const field = (body: Record<string, unknown>, name: string, max: number) =>
  typeof body[name] === 'string' ? (body[name] as string).slice(0, max) : '';

/** PO uploads: three files of a few hundred kB at most, kept in memory, never on disk. */
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { files: PO_PARTS.length, fileSize: 1024 * 1024, fields: 5, parts: 10 },
});

/**
 * /admin/translations: progress per language (reviewed / draft / missing), the publications,
 * the PO files to download; for `translator` accounts, an entry's editor (the French, the
 * report's words, the live text) and a PO upload, each checked (placeholders, GSM-7 budgets,
 * lengths, the glossary) and published as a new version that every instance serves within
 * seconds. Every publication is audited with the account's name.
 */
export function mountTranslationRoutes(
  router: Router,
  kit: TranslationKit,
  options: TranslationOptions,
): void {
  const { context, langOf, requireUser, csrf } = kit;
  const language = (req: Request) => options.languages.find((l) => l.code === req.params.lang);
  const notFound = (req: Request, res: Response) =>
    res
      .status(404)
      .type('html')
      .send(messagePage(context(req), tr(langOf(req), 'tr.unknownEntry')));

  const overview = async (lang: (typeof options.languages)[number]): Promise<LangOverview | undefined> => {
    const live = options.live.current(lang.code);
    if (!live) return undefined;
    return {
      lang: lang.code,
      name: lang.name,
      version: live.version,
      counts: countStates(live.state, options.reference, options.corpus, lang.withSummaries),
      versions: await options.live.history(lang.code),
    };
  };
  const overviewPage = async (req: Request, verdict?: Verdict) => {
    const all = await Promise.all(options.languages.map(overview));
    return translationsPage(
      context(req),
      all.filter((o) => o !== undefined),
      { canPublish: kit.mayTranslate(req), ...(verdict ? { verdict } : {}) },
    );
  };

  /** The editor's view of an entry, or undefined when the id names none. */
  const view = (langCode: string, id: string): EntryView | undefined => {
    const live = options.live.current(langCode);
    const ref = parseEntryId(id);
    if (!live || !ref) return undefined;
    const rec = options.corpus.recommendations.find((r) => r.id === ref.key);
    const theme = options.corpus.themes.find((t) => String(t.number) === ref.key);
    let french: string | undefined;
    let report: string | undefined;
    let hint: string;
    if (ref.kind === 'catalog') {
      french = options.reference[ref.key];
      hint = ref.key.startsWith('ussd.') || ref.key.startsWith('sms.') ? `≤ ${SCREEN_MAX}` : '';
    } else if (ref.kind === 'theme') {
      french = theme?.short;
      report = theme?.title;
      hint = `≤ ${THEME_SHORT_MAX}`;
    } else {
      if (ref.kind === 'summary' && !options.languages.find((l) => l.code === langCode)?.withSummaries)
        return undefined;
      french = rec?.label;
      report = rec ? [rec.text, ...(rec.items ?? []).map((i) => `- ${i}`)].join(' ') : undefined;
      hint = ref.kind === 'label' ? `≤ ${LABEL_MAX}` : `1-3 sentences, ≤ ${SUMMARY_MAX}`;
    }
    if (french === undefined) return undefined;
    const text = entryText(live.state, ref);
    const otherRef =
      ref.kind === 'label' || ref.kind === 'summary'
        ? { kind: ref.kind === 'label' ? ('summary' as const) : ('label' as const), key: ref.key }
        : undefined;
    const otherText = otherRef ? entryText(live.state, otherRef) : undefined;
    return {
      ...(otherRef && otherText !== undefined
        ? { other: { id: `${otherRef.kind}:${otherRef.key}`, text: otherText } }
        : {}),
      lang: langCode,
      id,
      french,
      ...(report ? { report } : {}),
      ...(text !== undefined ? { text } : {}),
      review: entryReview(live.state, ref),
      version: live.version,
      hint,
    };
  };

  /** Checks `changes` on the live state and publishes them as the next version. */
  const publish = async (
    req: Request,
    langCode: string,
    changes: Change[],
    expected: number,
    source: 'edit' | 'upload',
  ): Promise<{ version?: number; verdict: Verdict }> => {
    const live = options.live.current(langCode)!;
    const next = applyChanges(live.state, changes);
    const checked = checkState(next, {
      reference: options.reference,
      corpus: options.corpus,
      ...(options.glossaries.has(langCode) ? { glossary: options.glossaries.get(langCode)! } : {}),
    });
    const verdict: Verdict = {
      problems: checked.problems.map(problemText),
      warnings: checked.warnings.map(problemText),
    };
    if (verdict.problems.length > 0 || changes.length === 0) return { verdict };
    const who = req.session.user!.name;
    try {
      const version = await options.live.publish(langCode, { publishedBy: who, source, changes }, expected);
      await kit.records.audit({
        who,
        action: 'translation.publish',
        detail: `${langCode} v${version} ${changes.map((c) => `${c.id}:${c.review.state}`).join(' ')}`.slice(
          0,
          500,
        ),
      });
      return { version, verdict };
    } catch (error) {
      if (!(error instanceof TranslationConflictError)) throw error;
      return {
        verdict: { ...verdict, problems: [tr(langOf(req), 'tr.conflict', { actual: error.actual })] },
      };
    }
  };

  router.get('/translations', requireUser, async (req, res) => {
    res.type('html').send(await overviewPage(req));
  });

  router.get('/translations/:lang/entry', requireUser, (req, res) => {
    const lang = language(req);
    const id = typeof req.query.id === 'string' ? req.query.id.trim() : '';
    const found = lang ? view(lang.code, id) : undefined;
    if (!found) return notFound(req, res);
    const saved = typeof req.query.saved === 'string' && /^\d+$/.test(req.query.saved) ? req.query.saved : '';
    res.type('html').send(
      entryPage(context(req), found, {
        canPublish: kit.mayTranslate(req),
        ...(saved
          ? {
              verdict: {
                problems: [],
                warnings: [],
                notice: tr(langOf(req), 'tr.published', { version: saved }),
              },
            }
          : {}),
      }),
    );
  });

  router.post('/translations/:lang/entry', requireUser, csrf, async (req, res) => {
    if (!kit.mayTranslate(req)) return kit.forbid(req, res);
    const lang = language(req);
    const body = req.body as Record<string, unknown>;
    const id = field(body, 'id', 80);
    const found = lang ? view(lang.code, id) : undefined;
    if (!lang || !found) return notFound(req, res);
    const form = {
      text: field(body, 'text', 2000).replace(/\r\n/g, '\n').trim(),
      reviewed: field(body, 'reviewed', 2) === '1',
      note: field(body, 'note', 280).trim(),
    };
    const note = form.note ? { note: form.note } : {};
    const review: Review = form.reviewed
      ? { state: 'reviewed', reviewer: req.session.user!.name, date: options.today(), ...note }
      : { state: 'draft', reviewer: null, date: null, ...note };
    const expected = Number(field(body, 'expectedVersion', 8));
    const result = await publish(req, lang.code, [{ id, text: form.text, review }], expected, 'edit');
    if (result.version !== undefined) {
      const suffix = langSuffix(langOf(req), '&');
      res.redirect(
        303,
        `/admin/translations/${lang.code}/entry?id=${encodeURIComponent(id)}&saved=${result.version}${suffix}`,
      );
      return;
    }
    res
      .status(result.verdict.problems.some((p) => p.includes('version')) ? 409 : 400)
      .type('html')
      .send(
        entryPage(context(req), view(lang.code, id)!, { canPublish: true, verdict: result.verdict, form }),
      );
  });

  router.get('/translations/:lang/po/:part.po', requireUser, (req, res) => {
    const lang = language(req);
    const part = req.params.part as PoPart;
    const live = lang && options.live.current(lang.code);
    if (!lang || !live || !PO_PARTS.includes(part)) return notFound(req, res);
    const files = exportPo(live.state, {
      reference: options.reference,
      corpus: options.corpus,
      version: live.version,
      withSummaries: lang.withSummaries,
    });
    res
      .type('text/x-gettext-translation; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="${lang.code}-${part}.po"`)
      .send(files[part]);
  });

  router.post(
    '/translations/:lang/upload',
    requireUser,
    (req, res, next) =>
      upload.array('po', PO_PARTS.length)(req, res, (error: unknown) => {
        if (!error) return next();
        res
          .status(413)
          .type('html')
          .send(messagePage(context(req), (error as Error).message));
      }),
    csrf,
    async (req, res) => {
      if (!kit.mayTranslate(req)) return kit.forbid(req, res);
      const lang = language(req);
      const live = lang && options.live.current(lang.code);
      if (!lang || !live) return notFound(req, res);
      const files = ((req.files as Express.Multer.File[] | undefined) ?? []).map((f) => ({
        name: f.originalname.slice(0, 80),
        content: f.buffer,
      }));
      const source = {
        reference: options.reference,
        corpus: options.corpus,
        version: live.version,
        withSummaries: lang.withSummaries,
      };
      const imported = importPo(files, live.state, source, {
        name: req.session.user!.name,
        date: options.today(),
      });
      // An entry changed live after the file was exported is not overwritten blindly.
      const exportedAt = imported.versions.length > 0 ? Math.min(...imported.versions) : live.version;
      const later = (await options.live.history(lang.code)).filter((v) => v.version > exportedAt);
      const stale = imported.changes.flatMap((c) => {
        const v = later.find((version) => version.changes.some((x) => x.id === c.id));
        return v ? [tr(langOf(req), 'tr.stale', { id: c.id, version: v.version })] : [];
      });
      const mode = field(req.body as Record<string, unknown>, 'mode', 10);
      const problems = [...imported.problems, ...stale];
      let verdict: Verdict = { problems, warnings: imported.notes };
      let version: number | undefined;
      if (problems.length === 0 && mode === 'publish') {
        const result = await publish(req, lang.code, imported.changes, live.version, 'upload');
        version = result.version;
        verdict = {
          problems: result.verdict.problems,
          warnings: [...imported.notes, ...result.verdict.warnings],
          ...(version !== undefined ? { notice: tr(langOf(req), 'tr.published', { version }) } : {}),
        };
      } else if (problems.length === 0) {
        const checked = checkOnly(imported.changes, lang.code);
        verdict = { problems: checked.problems, warnings: [...imported.notes, ...checked.warnings] };
      }
      const rows = imported.changes.map((c) => {
        const ref = parseEntryId(c.id)!;
        const before = entryText(live.state, ref);
        return { id: c.id, ...(before !== undefined ? { before } : {}), after: c.text, review: c.review };
      });
      res
        .status(verdict.problems.length > 0 ? 400 : 200)
        .type('html')
        .send(uploadPage(context(req), lang.code, rows, verdict));
    },
  );

  /** The checks alone, for "Check": nothing is published. */
  function checkOnly(changes: Change[], langCode: string): Verdict {
    const live = options.live.current(langCode)!;
    const checked = checkState(applyChanges(live.state, changes), {
      reference: options.reference,
      corpus: options.corpus,
      ...(options.glossaries.has(langCode) ? { glossary: options.glossaries.get(langCode)! } : {}),
    });
    return { problems: checked.problems.map(problemText), warnings: checked.warnings.map(problemText) };
  }
}
