import { findRepeats } from '../content/repeats.js';
import type { Engine, Lang, Reply } from '../core/types.js';
import { noResultsPlan, resultsPlan, themePlan, themesPlan } from './lists.js';
import {
  followUpPlan,
  helpPlan,
  homePlan,
  languagePlan,
  navigationPlan,
  notInReportPlan,
  outOfRangePlan,
  plainPlan,
  smallTalkPlan,
} from './notices.js';
import { aboutPlan, recommendationPlan, type ReadingContext } from './reading.js';
import type { ReplyPlan, Surface } from './types.js';
import { shortEcho } from './words.js';

export * from './types.js';
export { chrome } from './chrome.js';
export { followUpShortLine } from './followup.js';
export { homePlan, helpPlan, noticePlan } from './notices.js';
export { aboutSummary, reportLines, reportTextPlan, sharePlan } from './reading.js';
export {
  expiredPlan,
  lastPlan,
  promptPlan,
  say,
  tooLongPlan,
  unsupportedPlan,
  usagePlan,
  type Unsupported,
} from './situations.js';
export { homeAction, QUERY_ECHO_MAX, shortEcho } from './words.js';

/**
 * Every engine reply as a plan (src/reply/types.ts): the one place where what a person reads is
 * decided, for every kind, language and surface.
 */
export interface ReplyPlanner {
  plan(reply: Reply, lang: Lang, surface: Surface, options?: { greet?: boolean }): ReplyPlan;
}

const planners = new WeakMap<Engine, ReplyPlanner>();

/** The planner of an engine, made once (the report's repeats are computed when it is made). */
export function plannerFor(engine: Engine): ReplyPlanner {
  let planner = planners.get(engine);
  if (!planner) {
    planner = createReplyPlanner(engine);
    planners.set(engine, planner);
  }
  return planner;
}

function createReplyPlanner(engine: Engine): ReplyPlanner {
  const ctx: ReadingContext = { engine, repeats: findRepeats(engine.corpus.recommendations) };
  return {
    plan(reply, lang, surface, options = {}) {
      switch (reply.kind) {
        case 'home':
          return homePlan(lang, surface, engine, options);
        case 'help':
          return helpPlan(lang, surface);
        case 'themes':
          return themesPlan(reply, lang, surface, engine);
        case 'theme':
          return themePlan(reply, lang, surface);
        case 'recommendation':
          return recommendationPlan(reply, lang, surface, ctx);
        case 'searchResults':
          return resultsPlan(reply, lang, surface, engine);
        case 'noResults':
          return noResultsPlan(reply, lang, surface, engine);
        case 'smallTalk':
          return smallTalkPlan(reply, lang, surface);
        case 'notInReport':
          return notInReportPlan(
            reply,
            lang,
            surface,
            surface.input === 'typed' ? shortEcho(reply.echo) : reply.echo,
          );
        case 'outOfRange':
          return outOfRangePlan(reply, lang, surface);
        case 'about':
          return aboutPlan(reply, lang);
        case 'navigation':
          return navigationPlan(reply, lang, surface);
        case 'language':
          return languagePlan(reply, lang, surface, engine);
        case 'followUp':
          return followUpPlan(reply, lang);
        case 'optOut':
        case 'optIn':
        case 'empty':
        case 'callback':
          return plainPlan(reply, lang, surface, engine);
      }
    },
  };
}
