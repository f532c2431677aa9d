import { SegmentedMessage } from 'sms-segments-calculator';

import { extensionSet, gsm7Length, isGsm7 } from '../../src/text/gsm7.js';

export interface SegmentCount {
  segments: number;
  encoding: 'GSM-7' | 'UCS-2';
}

/** Recent counts: a reply is counted when rendered, when sent and by the outbox; the library is slow. */
const recent = new Map<string, SegmentCount>();
const RECENT_MAX = 1000;

/**
 * Segments as an operator bills them, counted by a library made for it (Twilio's calculator):
 * it knows the 153-septet parts of a concatenated SMS and that an extension character (two
 * septets) is never split across parts, which hand counting gets wrong. It splits graphemes
 * with a quadratic concat (about 5 ms for 300 characters, scripts/bench-sms.ts), hence the memo.
 */
export function countSegments(text: string): SegmentCount {
  // Our replies are transliterated to GSM-7 before they leave, so this is nearly every call: the
  // reply plan fits lists to one segment by counting each candidate, and the library's cost per
  // count made an SMS turn ten times slower (eval:dialogue p50 0.05 → 0.45 ms).
  if (isGsm7(text)) return { segments: gsm7Segments(text), encoding: 'GSM-7' };
  const known = recent.get(text);
  if (known) return { ...known };
  const message = new SegmentedMessage(text, 'auto');
  const count: SegmentCount = { segments: message.segmentsCount, encoding: message.encodingName };
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value as string);
  recent.set(text, count);
  return { ...count };
}

/**
 * Segments of a GSM-7 text, counted as the library counts them (test/sms-segments.test.ts checks
 * both agree): one of 160 septets, else parts of 153 (the rest is the concatenation header) with
 * an extension character's two septets never split across two parts.
 */
function gsm7Segments(text: string): number {
  if (gsm7Length(text) <= 160) return 1;
  let parts = 1;
  let used = 0;
  for (const ch of text) {
    const cost = extensionSet.has(ch) ? 2 : 1;
    if (used + cost > 153) {
      parts++;
      used = 0;
    }
    used += cost;
  }
  return parts;
}
