import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';

import { countSegments } from '../adapters/sms/segments.js';

const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '^{}\\[~]|€\f';

/** A seeded generator, so a failure names a text that can be found again. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function library(text: string): { segments: number; encoding: string } {
  const message = new SegmentedMessage(text, 'auto');
  return { segments: message.segmentsCount, encoding: message.encodingName };
}

describe('SMS segments', () => {
  it('when GSM-7 texts are counted by hand, then every count equals the billing library', () => {
    const random = lcg(2024);
    const alphabet = [...BASIC, ...EXTENSION, '\r\n'];
    const differ: string[] = [];
    for (let n = 0; n < 3000; n++) {
      const length = Math.floor(random() * 480);
      const extensionShare = random() * 0.3;
      let text = '';
      for (let i = 0; i < length; i++) {
        text +=
          random() < extensionShare
            ? EXTENSION[Math.floor(random() * EXTENSION.length)]!
            : alphabet[Math.floor(random() * alphabet.length)]!;
      }
      const ours = countSegments(text);
      const theirs = library(text);
      if (ours.segments !== theirs.segments || ours.encoding !== theirs.encoding)
        differ.push(JSON.stringify(text));
    }
    expect(differ.slice(0, 3)).toEqual([]);
  });

  it('when a text sits on a segment boundary, then it is billed as the library bills it', () => {
    const cases = [
      '',
      'a'.repeat(160),
      'a'.repeat(161),
      'a'.repeat(306),
      'a'.repeat(307),
      '€'.repeat(80),
      '€'.repeat(81),
      `${'a'.repeat(152)}€b`, // the escape pair would straddle the first part's end
      `${'a'.repeat(152)}€${'b'.repeat(160)}`,
    ];
    for (const text of cases) expect(countSegments(text), JSON.stringify(text)).toEqual(library(text));
  });

  it('when a text leaves GSM-7, then it is counted in UCS-2 by the library', () => {
    for (const text of ['ɛɔɲ', 'ɲ'.repeat(71), `Bamako ${'ɛ'.repeat(140)}`]) {
      expect(countSegments(text)).toEqual(library(text));
      expect(countSegments(text).encoding).toBe('UCS-2');
    }
  });
});
