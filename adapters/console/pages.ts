import { roleMay, type ConsoleRole } from '../../src/config.js';
import type { AnalyticsReport } from '../analytics/tally.js';
import { MIN_PEOPLE } from '../analytics/tally.js';
import { html, jsonBlock, raw, type Html } from './html.js';
import type { ToFixEntry } from './records.js';
import { REFERENCE_LANG } from '../../src/i18n/index.js';
import { langParams, otherConsoleLanguages, tr, type ConsoleLang } from './strings.js';
import { analyticsTables, summary, type CostSettings, type Table } from './tables.js';

export interface PageContext {
  lang: ConsoleLang;
  user?: { name: string; role: ConsoleRole };
  csrf?: string;
}

export const withLang = (path: string, lang: ConsoleLang, params: Record<string, string> = {}) => {
  const query = new URLSearchParams({ ...params, ...langParams(lang) }).toString();
  return query ? `${path}?${query}` : path;
};

/** The same page in each other language the console is offered in, each link named in its own language. */
function languageLinks(path: string, lang: ConsoleLang): Html {
  return html`${otherConsoleLanguages(lang).map(
    (other) => html`<a href="${withLang(path, other.code)}" lang="${other.code}">${other.name}</a>`,
  )}`;
}

/** A form's hidden field that keeps the page's language (none for French). */
export const langField = (lang: ConsoleLang): Html =>
  lang === REFERENCE_LANG ? html`` : html`<input type="hidden" name="lang" value="${lang}" />`;

export function layout(ctx: PageContext, title: string, body: Html): string {
  const { lang, user } = ctx;
  const nav = user
    ? html`<nav aria-label="console">
        <a href="${withLang('/admin/dashboard', lang)}">${tr(lang, 'nav.dashboard')}</a>
        <a href="${withLang('/admin/followups', lang)}">${tr(lang, 'nav.followups')}</a>
        <a href="${withLang('/admin/broadcasts', lang)}">${tr(lang, 'nav.broadcasts')}</a>
        <a href="${withLang('/admin/translations', lang)}">${tr(lang, 'nav.translations')}</a>
        <a href="${withLang('/admin/audit', lang)}">${tr(lang, 'nav.audit')}</a>
        ${roleMay(user.role, 'record') ? html`<a href="/studio/">${tr(lang, 'nav.studio')}</a>` : ''}
        <span class="who">${tr(lang, 'signed.as', { name: user.name, role: user.role })}</span>
        <form method="post" action="${withLang('/admin/logout', lang)}" class="inline">
          <input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}" />
          <button type="submit">${tr(lang, 'logout')}</button>
        </form>
        ${languageLinks('/admin/dashboard', lang)}
      </nav>`
    : html``;
  return `<!doctype html>${
    html`<html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${title} · ${tr(lang, 'title')}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/admin/static/console.css" />
      </head>
      <body>
        <header>
          <h1>${tr(lang, 'title')}</h1>
          ${nav}
        </header>
        <main>${body}</main>
      </body>
    </html>`.value
  }`;
}

/** `next`: the page of the operators' tools to go back to once signed in (the studio's). */
export function loginPage(ctx: PageContext, message?: string, next?: string): string {
  const { lang } = ctx;
  return layout(
    ctx,
    tr(lang, 'login.title'),
    html`<section class="login">
      <h2>${tr(lang, 'login.title')}</h2>
      ${message ? html`<p class="error" role="alert">${message}</p>` : ''}
      <form method="post" action="${withLang('/admin/login', lang)}">
        <input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}" />
        ${next ? html`<input type="hidden" name="next" value="${next}" />` : ''}
        <label for="name">${tr(lang, 'login.name')}</label>
        <input id="name" name="name" autocomplete="username" required maxlength="32" />
        <label for="password">${tr(lang, 'login.password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          maxlength="256"
        />
        <button type="submit">${tr(lang, 'login.submit')}</button>
      </form>
      <p>${languageLinks('/admin/login', lang)}</p>
    </section>`,
  );
}

export function messagePage(ctx: PageContext, message: string): string {
  return layout(
    ctx,
    message,
    html`<p class="error" role="alert">${message}</p>
      <p><a href="${withLang('/admin/dashboard', ctx.lang)}">${tr(ctx.lang, 'nav.dashboard')}</a></p>`,
  );
}

function tableHtml(
  ctx: PageContext,
  name: string,
  table: Table,
  range: { from: string; to: string } | undefined,
  extra?: { head: string; cell: (row: Array<string | number>) => Html },
): Html {
  const { lang } = ctx;
  const csvHref = withLang(`/admin/export/${name}.csv`, lang, range ?? {});
  return html`<div class="table-wrap">
    <table id="table-${name}" data-table="${name}">
      <thead>
        <tr>
          ${table.columns.map((c) => html`<th scope="col">${tr(lang, c)}</th>`)}${extra ? html`<th scope="col">${extra.head}</th>` : ''}
        </tr>
      </thead>
      <tbody>
        ${
          table.rows.length === 0
            ? html`<tr>
                <td colspan="${table.columns.length + (extra ? 1 : 0)}" class="empty">
                  ${tr(lang, 'empty')}
                </td>
              </tr>`
            : table.rows.map(
                (row) =>
                  html`<tr>
                    ${row.map((cell) => html`<td>${cell}</td>`)}${extra ? html`<td>${extra.cell(row)}</td>` : ''}
                  </tr>`,
              )
        }
      </tbody>
    </table>
    <a class="csv" href="${csvHref}" download>${tr(lang, 'csv')} (${name}.csv)</a>
  </div>`;
}

export interface SpendingToday {
  sms: { spent: number; cap: number; personCap?: number };
  calls: { spent: number; cap: number };
}

/** Today against the caps: what an operator checks when SMS or call backs stop going out. */
function spendingBlock(lang: ConsoleLang, spending: SpendingToday): Html {
  const row = (id: string, label: string, spent: number, cap: number) =>
    html`<div>
      <dt>${label}</dt>
      <dd id="${id}" class="${spent >= cap ? 'error' : ''}">${spent} / ${cap}</dd>
    </div>`;
  return html`<dl class="summary" id="spending">
    ${row('spend-sms', tr(lang, 'spend.sms'), spending.sms.spent, spending.sms.cap)}
    ${row('spend-calls', tr(lang, 'spend.calls'), spending.calls.spent, spending.calls.cap)}
    <div>
      <dt>${tr(lang, 'spend.note.title')}</dt>
      <dd><small>${tr(lang, 'spend.note', { person: spending.sms.personCap ?? '—' })}</small></dd>
    </div>
  </dl>`;
}

export function dashboardPage(
  ctx: PageContext,
  report: AnalyticsReport,
  toFix: ToFixEntry[],
  settings: CostSettings & {
    retentionDays: number;
    minDay: string;
    maxDay: string;
    canEdit: boolean;
    /** Today's spending against the daily caps (SMS segments, calls), all instances together. */
    spending?: SpendingToday;
  },
): string {
  const { lang } = ctx;
  const tables = analyticsTables(report, settings);
  const totals = summary(report, settings);
  const range = { from: report.from, to: report.to };
  const listed = new Set(toFix.map((e) => e.words));
  const editForm = (action: string, words: string, label: string) =>
    html`<form method="post" action="${withLang(action, lang, range)}" class="inline">
      <input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}" />
      <input type="hidden" name="words" value="${words}" />
      <button type="submit">${label}</button>
    </form>`;
  const missAction = settings.canEdit
    ? {
        head: tr(lang, 'col.do'),
        cell: (row: Array<string | number>) =>
          listed.has(String(row[0]))
            ? html`${tr(lang, 'tofix.added')}`
            : editForm('/admin/tofix/add', String(row[0]), tr(lang, 'tofix.add')),
      }
    : undefined;
  const fixAction = settings.canEdit
    ? {
        head: tr(lang, 'col.do'),
        cell: (row: Array<string | number>) =>
          editForm('/admin/tofix/remove', String(row[0]), tr(lang, 'tofix.remove')),
      }
    : undefined;
  const days = report.peoplePerDay.map((r) => r.day);
  const channels = [...new Set(report.replies.map((r) => r.channel))].sort();
  const charts = {
    repliesPerDay: {
      labels: days,
      series: channels.map((channel) => ({
        label: channel,
        data: days.map((day) =>
          report.replies
            .filter((r) => r.day === day && r.channel === channel)
            .reduce((s, r) => s + r.count, 0),
        ),
      })),
    },
    peoplePerDay: {
      labels: days,
      series: [{ label: tr(lang, 'col.people'), data: report.peoplePerDay.map((r) => r.people) }],
    },
    byKind: {
      labels: tables['by-kind'].rows.map((r) => String(r[0])),
      series: [{ label: tr(lang, 'col.count'), data: tables['by-kind'].rows.map((r) => Number(r[1])) }],
    },
    themes: {
      labels: report.themes.map((r) => `${tr(lang, 'col.theme')} ${r.theme}`),
      series: [{ label: tr(lang, 'col.views'), data: report.themes.map((r) => r.views) }],
    },
    screens: {
      labels: report.screens.map((r) => `${r.channel} ${r.screen}`),
      series: [
        { label: tr(lang, 'col.reached'), data: report.screens.map((r) => r.reached) },
        { label: tr(lang, 'col.dropped'), data: report.screens.map((r) => r.dropped) },
      ],
    },
  };
  const section = (id: string, title: string, body: Html) =>
    html`<section id="${id}" aria-labelledby="${id}-title">
      <h2 id="${id}-title">${title}</h2>
      ${body}
    </section>`;
  const chart = (id: string, label: string) =>
    html`<div class="chart">
      <canvas id="chart-${id}" data-chart="${id}" role="img" aria-label="${label}"></canvas>
    </div>`;
  return layout(
    ctx,
    tr(lang, 'nav.dashboard'),
    html`<form method="get" action="/admin/dashboard" class="range">
        <label for="from">${tr(lang, 'range.from')}</label>
        <input
          type="date"
          id="from"
          name="from"
          value="${report.from}"
          min="${settings.minDay}"
          max="${settings.maxDay}"
        />
        <label for="to">${tr(lang, 'range.to')}</label>
        <input
          type="date"
          id="to"
          name="to"
          value="${report.to}"
          min="${settings.minDay}"
          max="${settings.maxDay}"
        />
        ${langField(lang)}
        <button type="submit">${tr(lang, 'range.apply')}</button>
        <small>${tr(lang, 'range.note', { days: settings.retentionDays })}</small>
      </form>
      <dl class="summary">
        <div>
          <dt>${tr(lang, 'summary.replies')}</dt>
          <dd id="total-replies">${totals.replies}</dd>
        </div>
        <div>
          <dt>${tr(lang, 'summary.people')}</dt>
          <dd id="total-people">${totals.people}</dd>
        </div>
        <div>
          <dt>${tr(lang, 'summary.segments')}</dt>
          <dd id="total-segments">${totals.segments}</dd>
        </div>
        <div>
          <dt>${tr(lang, 'summary.cost')}</dt>
          <dd id="total-cost">${totals.cost || tr(lang, 'summary.noCost')}</dd>
        </div>
      </dl>
      ${settings.spending ? spendingBlock(lang, settings.spending) : ''}
      ${section(
        'replies',
        tr(lang, 'section.replies'),
        html`${chart('repliesPerDay', tr(lang, 'section.replies'))}
          <div class="grid">
            ${tableHtml(ctx, 'by-channel', tables['by-channel'], range)}
            ${tableHtml(ctx, 'by-lang', tables['by-lang'], range)}
            <div>
              ${chart('byKind', tr(lang, 'section.byKind'))}${tableHtml(ctx, 'by-kind', tables['by-kind'], range)}
            </div>
          </div>
          <details>
            <summary>${tr(lang, 'section.replies')}</summary>
            ${tableHtml(ctx, 'replies', tables.replies, range)}
          </details>`,
      )}
      ${section(
        'people',
        tr(lang, 'section.people'),
        html`${chart('peoplePerDay', tr(lang, 'section.people'))}
          <div class="grid">
            ${tableHtml(ctx, 'people-days', tables['people-days'], range)}${tableHtml(ctx, 'people-weeks', tables['people-weeks'], range)}
          </div>`,
      )}
      ${section(
        'themes',
        tr(lang, 'section.themes'),
        html`${chart('themes', tr(lang, 'section.themes'))}
          <div class="grid">
            ${tableHtml(ctx, 'themes', tables.themes, range)}${tableHtml(ctx, 'recommendations', tables.recommendations, range)}
          </div>`,
      )}
      ${section('screens', tr(lang, 'section.screens'), html`${chart('screens', tr(lang, 'section.screens'))}${tableHtml(ctx, 'screens', tables.screens, range)}`)}
      ${section('sms', tr(lang, 'section.sms'), tableHtml(ctx, 'sms', tables.sms, range))}
      ${section(
        'misses',
        tr(lang, 'section.misses'),
        html`<p class="note">${tr(lang, 'section.missesNote', { min: MIN_PEOPLE })}</p>
          ${tableHtml(ctx, 'misses', tables.misses, range, missAction)}`,
      )}
      ${section('wrong', tr(lang, 'section.wrong'), tableHtml(ctx, 'wrong-answers', tables['wrong-answers'], range))}
      ${section('feedback', tr(lang, 'section.feedback'), tableHtml(ctx, 'feedback', tables.feedback, range))}
      ${section(
        'tofix',
        tr(lang, 'section.tofix'),
        tableHtml(
          ctx,
          'tofix',
          {
            title: 'section.tofix',
            columns: ['col.words', 'col.by', 'col.at'],
            rows: toFix.map((e) => [e.words, e.by, new Date(e.at).toISOString()]),
          },
          undefined,
          fixAction,
        ),
      )}
      ${jsonBlock('chart-data', charts)}
      ${raw('<script src="/admin/static/chart.umd.min.js"></script><script src="/admin/static/dashboard.js"></script>')}`,
  );
}

export function auditPage(ctx: PageContext, table: Table): string {
  return layout(
    ctx,
    tr(ctx.lang, 'nav.audit'),
    html`<section>
      <h2>${tr(ctx.lang, 'nav.audit')}</h2>
      ${tableHtml(ctx, 'audit', table, undefined)}
    </section>`,
  );
}
