import { existsSync } from 'node:fs';
import type { AudioRef, VoiceLang } from '../types.js';
import type { AudioItem } from './catalog.js';
import type { AudioLibrary } from './library.js';

/**
 * What a language needs recorded to have a line worth calling, in the order a speaker records
 * it. Bambara has no synthesis: until these prompts are published it is not offered on the
 * language menu; once they are, a Bambara caller can choose the language, hear home, enter a
 * number and hear the recommendation (the report's French words, framed in Bambara until a
 * Bambara reading is recorded), be told when a key is wrong or something failed, and say goodbye.
 *
 *   1. the minimal set (MINIMAL_SET): language, home, the themes list's frame, number entry, the
 *      reading's frame, goodbye and faults, the keys those say;
 *   2. the theme names (the themes option is offered once they are recorded);
 *   3. the 300 readings (each replaces the French reading with a speaker's rendering);
 *   4. more prompts (about, SMS, follow-up statuses, other keys): offered as they come.
 */
export const MINIMAL_SET: readonly string[] = [
  // the language menu and home
  'lang.offer',
  'welcome',
  'home.themes',
  'home.number',
  'home.lang',
  'home.quit',
  // the themes list's frame (its names are the next group)
  'more',
  'back',
  // number entry
  'number.ask',
  'notAvailable',
  // the reading's frame
  'reading.french',
  'reading.nav',
  'reading.first',
  'reading.last',
  'reading.wait',
  // goodbye and faults
  'goodbye',
  'error',
  // the keys the menus say
  'press.0',
  'press.1',
  'press.2',
  'press.3',
  'press.4',
  'press.5',
  'press.8',
];

type PlanGroup = 'minimal' | 'themes' | 'readings' | 'more';
const PLAN_GROUPS: readonly PlanGroup[] = ['minimal', 'themes', 'readings', 'more'];
type PlanState = 'missing' | 'draft' | 'published';

interface PlanItem extends Omit<AudioItem, 'segments'> {
  group: PlanGroup;
  state: PlanState;
  /** A draft waits to be listened to and published (also when a recording is published). */
  draft: boolean;
  /** What callers hear now: the recording, synthesised speech, or nothing. */
  line: 'recording' | 'synthesised' | 'none';
  /** Previous published versions kept (a rollback puts the newest back). */
  versions: number;
}

export interface RecordingPlan {
  lang: VoiceLang;
  groups: Array<{ group: PlanGroup; published: number; drafts: number; total: number }>;
  /** Published recordings over all items, and the minimal set's. */
  progress: { published: number; total: number; percent: number };
  /** The minimal set's recordings; `onMenu`: the language is offered on the voice menu now. */
  minimal: { published: number; total: number; onMenu: boolean };
  items: PlanItem[];
}

function planGroupOf(item: Pick<AudioItem, 'kind' | 'key'>): PlanGroup {
  if (item.kind === 'rec') return 'readings';
  if (MINIMAL_SET.includes(item.key)) return 'minimal';
  if (/^theme\.\d+$/.test(item.key)) return 'themes';
  return 'more';
}

/** Whether every prompt of the minimal set can be played in `lang` (`available`: recorded or synthesised). */
export function minimalSetReady(lang: VoiceLang, available: (ref: AudioRef) => boolean): boolean {
  return MINIMAL_SET.every((key) => available({ lang, kind: 'prompt', key }));
}

export function recordingPlan(library: AudioLibrary, lang: VoiceLang): RecordingPlan {
  const items: PlanItem[] = library.catalog
    .items(lang)
    .map((item) => {
      const ref: AudioRef = { lang, kind: item.kind, key: item.key };
      const published = library.recorded(ref);
      const draft = existsSync(library.draftPath(ref));
      const source = library.resolve(ref)?.source;
      const { segments: _segments, ...rest } = item;
      return {
        ...rest,
        group: planGroupOf(item),
        state: published ? 'published' : draft ? 'draft' : 'missing',
        draft,
        line: source === 'recording' ? 'recording' : source === 'synthesised' ? 'synthesised' : 'none',
        versions: library.versions(ref).length,
      } satisfies PlanItem;
    })
    // Stable: the catalog's order within a group, the recording order within the minimal set.
    .sort(
      (a, b) =>
        PLAN_GROUPS.indexOf(a.group) - PLAN_GROUPS.indexOf(b.group) ||
        (a.group === 'minimal' ? MINIMAL_SET.indexOf(a.key) - MINIMAL_SET.indexOf(b.key) : 0),
    );
  const groups = PLAN_GROUPS.map((group) => {
    const of = items.filter((item) => item.group === group);
    return {
      group,
      published: of.filter((item) => item.state === 'published').length,
      drafts: of.filter((item) => item.draft).length,
      total: of.length,
    };
  });
  const published = items.filter((item) => item.state === 'published').length;
  const minimal = groups[0]!;
  return {
    lang,
    groups,
    progress: { published, total: items.length, percent: Math.floor((published / items.length) * 1000) / 10 },
    minimal: {
      published: minimal.published,
      total: minimal.total,
      onMenu: minimalSetReady(lang, (ref) => library.available(ref)),
    },
    items,
  };
}
