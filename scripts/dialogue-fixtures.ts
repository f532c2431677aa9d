/**
 * The dialogue fixture (test/fixtures/dialogues.txt), read and split for `npm run eval:dialogue`.
 *
 * A dialogue is a paragraph: a header "# <kind> <lang>" (the language its replies should be in),
 * then one line per message, "text => expectation [@lang]". Expectations are documented at the
 * top of the fixture. The split into halves is by dialogue: FNV-1a of the dialogue's messages,
 * so a dialogue never has turns in both halves and adding one does not move the others.
 */
import { readFileSync } from 'node:fs';

export interface Turn {
  text: string;
  /** Alternatives ("range|pickrange"), each a word and its argument ("open 2.10", "list 3.13,3.15"). */
  expect: Array<{ what: string; arg?: string }>;
  /** The language this reply should be in. */
  lang: string;
}

export interface Dialogue {
  /** 1-based, in file order: how a failure is named. */
  n: number;
  kind: string;
  lang: string;
  turns: Turn[];
  half: 'tune' | 'heldOut';
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function parseDialogues(source: string): Dialogue[] {
  const dialogues: Dialogue[] = [];
  const blocks = source
    .split(/\n\s*\n/)
    .map((block) => block.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('//')))
    .filter((lines) => lines.length > 0);
  for (const lines of blocks) {
    const header = /^# (\w+) (\w+)$/.exec(lines[0]!.trim());
    if (!header) throw new Error(`dialogue fixture: a dialogue starts with "# kind lang", not ${lines[0]}`);
    const [, kind, lang] = header;
    const turns = lines.slice(1).map((line): Turn => {
      const at = line.lastIndexOf(' => ');
      if (at < 0) throw new Error(`dialogue fixture: no " => " in ${line}`);
      const text = line.slice(0, at);
      let expectation = line.slice(at + 4).trim();
      let turnLang = lang!;
      const override = / @(\w+)$/.exec(expectation);
      if (override) {
        turnLang = override[1]!;
        expectation = expectation.slice(0, override.index).trim();
      }
      const expect = expectation.split('|').map((alternative) => {
        const [what, arg] = alternative.trim().split(/\s+/, 2);
        return arg === undefined ? { what: what! } : { what: what!, arg };
      });
      return { text, expect, lang: turnLang };
    });
    if (turns.length < 1 || turns.length > 3)
      throw new Error(`dialogue fixture: 1 to 3 messages a dialogue (${lines[0]})`);
    const n = dialogues.length + 1;
    const half = fnv1a(turns.map((turn) => turn.text).join('\n')) % 2 === 0 ? 'tune' : 'heldOut';
    dialogues.push({ n, kind: kind!, lang: lang!, turns, half });
  }
  return dialogues;
}

export function readDialogues(path: string): Dialogue[] {
  return parseDialogues(readFileSync(path, 'utf8'));
}
