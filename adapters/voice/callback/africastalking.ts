import AfricasTalking from 'africastalking';
import type { CallPlacer, CallPlaceResult, OutgoingCall } from '../../../src/ports/index.js';

interface AxiosLikeError {
  isAxiosError?: boolean;
  response?: { status: number };
  code?: string;
}

/**
 * Call backs through Africa's Talking's official SDK: `VOICE.call({ callFrom, callTo })` posts
 * a form (`username`, `to`, `from`, `clientRequestId`) to https://voice.africastalking.com/call
 * and resolves with `{ entries: [{ phoneNumber, status, sessionId }], errorMessage }`. An entry
 * `Queued` means AT will ring the person; when they answer, AT posts the call to the number's
 * voice callback (POST /voice, `direction=Outbound`) and the line plays as usual.
 *
 * One attempt, never retried (a timed-out request may still ring the person). Nothing this
 * returns carries the number: the SDK's validation errors quote it, so they are reduced to a
 * fixed word.
 */
export function createAfricasTalkingCallPlacer(options: {
  username: string;
  apiKey: string;
  /** The AT virtual number to call from (VOICE_CALLBACK_FROM). */
  from: string;
}): CallPlacer {
  const voice = AfricasTalking({ username: options.username, apiKey: options.apiKey }).VOICE;
  return {
    async call({ to }: OutgoingCall): Promise<CallPlaceResult> {
      let response;
      try {
        // clientRequestId comes back in the voice callbacks; without it the SDK sends "undefined".
        response = await voice.call({ callFrom: options.from, callTo: to, clientRequestId: 'callback' });
      } catch (error) {
        return { status: 'refused', detail: failure(error) };
      }
      const entry = response?.entries?.[0];
      if (entry?.status === 'Queued') return { status: 'queued', callId: entry.sessionId };
      return { status: 'refused', detail: entry?.status ?? response?.errorMessage ?? 'no entry' };
    },
  };
}

function failure(error: unknown): string {
  const e = (error ?? {}) as AxiosLikeError;
  if (e.isAxiosError) {
    const status = e.response?.status;
    return status === undefined ? `network: ${e.code ?? 'error'}` : `HTTP ${status}`;
  }
  // A Joi validation message ("Invalid phone number: +223…") or an unexpected body.
  return typeof error === 'string' ? 'invalid request' : 'unexpected response';
}
