/**
 * RFC 4180 CSV parsing for the bundled snapshot: comma separator, double-quote quoting,
 * CRLF or LF line ends. Returns one record per data row keyed by the header row.
 */
export function parseCsv(text: string): Record<string, string>[] {
  const rows = parseCsvRows(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const header = rows.shift();
  if (!header) return [];
  return rows
    .filter((r) => !(r.length === 1 && r[0] === ''))
    .map((r, i) => {
      if (r.length !== header.length) {
        throw new Error(`CSV row ${i + 2} has ${r.length} fields, the header has ${header.length}`);
      }
      const rec: Record<string, string> = {};
      header.forEach((h, j) => (rec[h] = r[j] ?? ''));
      return rec;
    });
}

/**
 * The rows of a CSV text as arrays of fields, blank lines included (as `['']`), so that without
 * quoted line breaks row i is line i + 1. `delimiter` is one character (default ',').
 */
export function parseCsvRows(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * RFC 4180 CSV text: a header row, CRLF line ends, fields quoted only when they hold a comma, a
 * double quote or a line break (quotes doubled). null and undefined are empty fields.
 */
export function formatCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  const field = (v: string | number | null | undefined): string => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [header, ...rows].map((r) => r.map(field).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
