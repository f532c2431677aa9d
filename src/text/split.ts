/**
 * Splits a long text into messages of at most `max` characters: at paragraphs, then lines, then
 * words, packing as many as fit. A word longer than a message is cut where `cutAt(rest, max)`
 * says (≤ max, > 0): each channel knows what must not be cut (an HTML entity on Telegram, a
 * surrogate pair on WhatsApp). One splitter for every chat channel.
 */
export function splitAtBoundaries(
  text: string,
  max: number,
  cutAt: (rest: string, max: number) => number = (_rest, limit) => limit,
): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let current = '';
  const push = (piece: string, sep: string) => {
    if (current === '') current = piece;
    else if (current.length + sep.length + piece.length <= max) current += sep + piece;
    else {
      parts.push(current);
      current = piece;
    }
  };
  for (const paragraph of text.split('\n\n')) {
    if (paragraph.length <= max) {
      push(paragraph, '\n\n');
      continue;
    }
    for (const line of paragraph.split('\n')) {
      if (line.length <= max) {
        push(line, '\n');
        continue;
      }
      for (const word of line.split(' ')) {
        let rest = word;
        while (rest.length > max) {
          const cut = cutAt(rest, max);
          push(rest.slice(0, cut), ' ');
          rest = rest.slice(cut);
        }
        push(rest, ' ');
      }
    }
  }
  if (current !== '') parts.push(current);
  return parts;
}
