/**
 * RFC 4180 CSV. A cell that a spreadsheet would read as a formula (= + - @, tab, CR) is prefixed
 * with a quote, so an export opened in a spreadsheet cannot run anything (CSV injection).
 */
export function toCsv(header: string[], rows: Array<Array<string | number>>): string {
  const cell = (value: string | number) => {
    let text = String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
