import type { Request, Response } from 'express';
import type { Lang } from '../../src/core/types.js';
import { REFERENCE_LANG, t, type MessageKey } from '../../src/i18n/index.js';
import type { SessionStore } from '../../src/ports/index.js';
import { bodyField, type GatewayOptions } from '../http/gateway-routes.js';
import * as at from './dialects/africastalking.js';
import * as latest from './dialects/latest-input.js';
import { encode } from './layout.js';
import { readLanguage } from '../../src/conversation/preferences.js';
import type { NeutralScreen } from './types.js';

export interface UssdGatewayDeps {
  store: SessionStore;
  alphabet: 'gsm' | 'ascii';
  /** The language preference is read at most this long (REDIS_COMMAND_TIMEOUT_MS), else French. */
  storeDeadlineMs: number;
}

const isLatestInput = (req: Request) => req.path.startsWith('/hubtel');
const isEvent = (req: Request) => req.path.startsWith('/events');

/**
 * How the USSD routes answer what the gateway mounter decides before or around the channel
 * (adapters/http/gateway-routes.ts): in the gateway's own dialect, never a JSON 500.
 * - refusal by the limits (413, 415, 400 bad encoding): the status with `END` and "invalid request";
 * - a failure or REQUEST_TIMEOUT_MS: 200 `END` and an apology, so the phone shows a sentence;
 * - over RATE_LIMIT_PER_MINUTE: 200 `END` and "try again in a minute", in the person's language.
 */
export function ussdGatewayOptions(deps: UssdGatewayDeps): GatewayOptions {
  const screen = (key: MessageKey, lang: Lang = 'fr'): NeutralScreen => ({
    text: encode(t(lang, key), deps.alphabet),
    end: true,
  });
  const answer = (req: Request, res: Response, status: number, view: NeutralScreen) => {
    if (isLatestInput(req))
      res.status(status).json(latest.renderResponse(bodyField(req, 'SessionId') ?? '', view));
    else if (isEvent(req))
      res
        .status(status)
        .type('text/plain')
        .send(status === 200 ? 'OK' : 'bad request');
    else res.status(status).type('text/plain').send(at.renderScreen(view));
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
    refuse: (req, res, status) => answer(req, res, status, screen('ussd.error.badRequest')),
    apology: (req, res) => answer(req, res, 200, screen('ussd.error.generic')),
    personLimit: {
      // A person's hop; end-of-session notifications are the gateway's, not the person's.
      phone: (req) => {
        if (isEvent(req)) return undefined;
        if (!isLatestInput(req)) return bodyField(req, 'phoneNumber');
        const type = bodyField(req, 'Type')?.toLowerCase();
        return type === 'initiation' || type === 'response' ? bodyField(req, 'Mobile') : undefined;
      },
      refuse: async (req, res, _decision, pseudonym) => {
        answer(req, res, 200, screen('error.rateLimited', await preferredLang(pseudonym)));
      },
    },
  };
}
