import { describe, expect, it } from 'vitest';
import { toCsv } from '../adapters/console/csv.js';
import { html, jsonBlock } from '../adapters/console/html.js';
import { auditPage } from '../adapters/console/pages.js';
import { auditTable } from '../adapters/console/tables.js';

describe('console rendering', () => {
  it('when a cell starts like a spreadsheet formula, then the CSV defuses it, and quotes what needs quoting', () => {
    const csv = toCsv(
      ['a', 'b'],
      [
        ['=HYPERLINK("http://x")', '+1'],
        ['-2', '@SUM(A1)'],
        ['plain, with comma', 'line\nbreak'],
        [-3, 4],
      ],
    );
    expect(csv.split('\r\n')).toEqual([
      'a,b',
      `"'=HYPERLINK(""http://x"")",'+1`,
      `'-2,'@SUM(A1)`,
      '"plain, with comma","line\nbreak"',
      '-3,4',
      '',
    ]);
  });

  it('when a value holds markup, then pages escape it, and a JSON block cannot close its script element', () => {
    const evil = '<script>alert(1)</script>" onmouseover="x';
    expect(html`<td title="${evil}">${evil}</td>`.value).not.toMatch(/<script>|" onmouseover/);
    const block = jsonBlock('d', { words: '</script><script>alert(1)</script>' }).value;
    expect(block.match(/<\/script>/g)).toHaveLength(1);
    expect(JSON.parse(block.replace(/^<script[^>]*>|<\/script>$/g, ''))).toEqual({
      words: '</script><script>alert(1)</script>',
    });
    const page = auditPage(
      { lang: 'fr', user: { name: 'ed', role: 'editor' }, csrf: 't' },
      auditTable([{ at: 0, who: '<b>ed</b>', action: 'tofix.add', detail: '<img src=x onerror=alert(1)>' }]),
    );
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<b>ed</b>');
    expect(page).toContain('&#60;img src&#61;x onerror&#61;alert(1)&#62;');
  });
});
