import { SegmentedMessage } from 'sms-segments-calculator';

export interface SegmentCount {
  segments: number;
  encoding: 'GSM-7' | 'UCS-2';
}

/**
 * Segments as an operator bills them, counted by a library made for it (Twilio's calculator):
 * it knows the 153-septet parts of a concatenated SMS and that an extension character (two
 * septets) is never split across parts, which hand counting gets wrong.
 */
export function countSegments(text: string): SegmentCount {
  const message = new SegmentedMessage(text, 'auto');
  return { segments: message.segmentsCount, encoding: message.encodingName };
}
