import type { Lang } from '../../src/core/types.js';
import { REFERENCE_LANG } from '../../src/i18n/index.js';
import { endNotice, type EndNotice } from '../../src/menu/index.js';
import type { SessionStore } from '../../src/ports/index.js';
import type { GatewayOptions } from '../gateway/mount.js';
import { dialectAt } from './dialects/index.js';
import { encode } from './layout.js';
import { readLanguage } from '../../src/conversation/preferences.js';
import { sendAnswer } from './router.js';
import type { NeutralScreen } from './types.js';

export interface UssdGatewayDeps {
  store: SessionStore;
  alphabet: 'gsm' | 'ascii';
  /** The language preference is read at most this long (REDIS_COMMAND_TIMEOUT_MS), else French. */
  storeDeadlineMs: number;
  /** The hop counts the person's budget in its own read (default); false: the gateway counts it. */
  countedByChannel?: boolean;
}

/**
 * How the USSD routes answer what the gateway mounter decides before or around the channel
 * (adapters/gateway/mount.ts), in the dialect of the route (the dialect table, by path):
 * - refusal by the limits (413, 415, 400 bad encoding): the status with `END` and "invalid request";
 * - a failure or REQUEST_TIMEOUT_MS: 200 `END` and an apology, so the phone shows a sentence;
 * - over RATE_LIMIT_PER_MINUTE: 200 `END` and "try again in a minute", in the person's language.
 *   A hop is counted by the USSD core itself, in the one script that also reads its session
 *   (`countedByChannel`); `refuse` answers when a gateway mounter counts it instead.
 */
export function ussdGatewayOptions(deps: UssdGatewayDeps): GatewayOptions {
  // These sentences do not change: encoded once, per language.
  const screens = new Map<string, NeutralScreen>();
  const screen = (notice: EndNotice, lang: Lang = REFERENCE_LANG): NeutralScreen => {
    const id = `${lang}:${notice}`;
    let known = screens.get(id);
    if (!known) {
      known = { text: encode(endNotice(notice, lang), deps.alphabet), end: true };
      screens.set(id, known);
    }
    return known;
  };
  const preferredLang = async (pseudonym: string): Promise<Lang> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), deps.storeDeadlineMs);
    });
    try {
      return (await Promise.race([readLanguage(deps.store, pseudonym), deadline])) ?? REFERENCE_LANG;
    } catch {
      return REFERENCE_LANG;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    refuse: (req, res, status) =>
      sendAnswer(res, dialectAt(req.path).refusal(req.body, status, screen('badRequest'))),
    apology: (req, res) => sendAnswer(res, dialectAt(req.path).render(req.body, screen('generic'))),
    personLimit: {
      phone: (req) => dialectAt(req.path).phone(req.body),
      countedByChannel: deps.countedByChannel ?? true,
      refuse: async (req, res, _decision, pseudonym) => {
        const notice = screen('rateLimited', await preferredLang(pseudonym));
        sendAnswer(res, dialectAt(req.path).render(req.body, notice));
      },
    },
  };
}
