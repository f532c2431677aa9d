import { applyChanges, type LangState } from '../content/lang-state.js';
import { overrideTranslations } from '../content/localized.js';
import { overrideMessages } from '../i18n/index.js';
import type { TranslationStore, TranslationVersion } from './store.js';

/**
 * The translations every instance serves: the files it started with, plus the versions
 * published from the console, applied in order. The instance where a reviewer published
 * refreshes at once; every instance polls the store's version count every `intervalMs` (one
 * cheap read per language) and reads only the versions it lacks, so a publication reaches every
 * instance within that time, as follow-ups do. A failed poll keeps what is served.
 */
export interface LiveTranslations {
  /** The language as served now (files + published versions) and its live version. */
  current(lang: string): { state: LangState; version: number } | undefined;
  /** Every published version of `lang`, oldest first. */
  history(lang: string): Promise<TranslationVersion[]>;
  refresh(): Promise<void>;
  /**
   * Publishes the next version of `lang` if `expected` is still the live one (else
   * TranslationConflictError), and serves it here at once; other instances within the poll.
   */
  publish(
    lang: string,
    input: Pick<TranslationVersion, 'publishedBy' | 'source' | 'changes'>,
    expected: number,
  ): Promise<number>;
  /** Starts the background poll. */
  start(): void;
  stop(): void;
}

export function createLiveTranslations(
  store: TranslationStore,
  base: LangState[],
  options: { intervalMs?: number; onError?: (error: unknown) => void; now?: () => number } = {},
): LiveTranslations {
  const clock = options.now ?? Date.now;
  const served = new Map(base.map((state) => [state.lang, { state, version: 0 }]));
  let loading: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const install = (state: LangState) => {
    overrideMessages(state.lang, state.catalog.messages);
    overrideTranslations(state.content);
  };

  const load = async () => {
    for (const [lang, now] of served) {
      try {
        const count = await store.count(lang);
        if (count <= now.version) continue;
        const versions = await store.since(lang, now.version);
        let state = now.state;
        for (const version of versions) state = applyChanges(state, version.changes);
        served.set(lang, { state, version: now.version + versions.length });
        install(state);
      } catch (error) {
        options.onError?.(error);
      }
    }
  };

  const refresh = (): Promise<void> => {
    const next: Promise<void> = (loading ?? Promise.resolve()).then(load).finally(() => {
      if (loading === next) loading = undefined;
    });
    loading = next;
    return next;
  };

  return {
    current: (lang) => served.get(lang),
    history: async (lang) => (served.has(lang) ? store.since(lang, 0) : []),
    refresh,
    async publish(lang, input, expected) {
      const version = await store.publish(
        { lang, publishedAt: new Date(clock()).toISOString(), ...input },
        expected,
      );
      await refresh();
      return version.version;
    },
    start() {
      timer ??= setInterval(() => void refresh(), options.intervalMs ?? 5000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
