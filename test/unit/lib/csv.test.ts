import { describe, expect, it } from 'vitest';
import { formatCsv, parseCsv } from '../../../src/lib/csv';

describe('formatCsv', () => {
  it('writes RFC 4180: CRLF, quotes only where needed, doubled quotes, empty for null', () => {
    const text = formatCsv(['a', 'b', 'c'], [
      ['plain', 1.5, null],
      ['with, comma', 'say "hi"', 'two\nlines'],
    ]);
    expect(text).toBe('a,b,c\r\nplain,1.5,\r\n"with, comma","say ""hi""","two\nlines"\r\n');
  });

  it('round-trips through the project parser', () => {
    const rows = [['Bodø', 'Nordland'], ['Porsanger - Porsáŋgu - Porsanki', 'x,"y"']];
    expect(parseCsv(formatCsv(['name', 'county'], rows))).toEqual(rows.map(([name, county]) => ({ name, county })));
  });
});
