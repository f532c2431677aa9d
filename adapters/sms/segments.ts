import { SegmentedMessage } from 'sms-segments-calculator';

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
  const known = recent.get(text);
  if (known) return { ...known };
  const message = new SegmentedMessage(text, 'auto');
  const count: SegmentCount = { segments: message.segmentsCount, encoding: message.encodingName };
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value as string);
  recent.set(text, count);
  return { ...count };
}
