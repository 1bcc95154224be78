// In-memory answers for the two register sources that are not PxWebApi tables: SSB KLASS 128
// (centrality) and the ROBEK page on regjeringen.no. No recording of either exists; both are
// built at test time, in the documented shape, from the bundled snapshot's real rows
// (data/sentralitet.csv, data/robek.csv) — see test/fixtures/README.md.
import { http, HttpResponse } from 'msw';
import { KLASS_BASE_URL, type KlassCode } from '../../src/sources/ssb/klass';
import { ROBEK_URL } from '../../src/sources/kdd/robek';
import { snapshotCsv, snapshotKommuner } from './ssb-mock';

// ---------------------------------------------------------------------------------------------
// KLASS 128

/**
 * Kommuner the mock lists under their 2020–2023 code instead of the 2024 one (as a KLASS version
 * keyed by the older division would): the refresh must reach them through the registry's code
 * changes. 5401 → 5501 Tromsø, 3001 → 3101 Halden.
 */
export const KLASS_OLD_CODES: Readonly<Record<string, { code: string; name: string }>> = {
  '5501': { code: '5401', name: 'Tromsø (2020-2023)' },
  '3101': { code: '3001', name: 'Halden (2020-2023)' },
};

/**
 * `GET /classifications/128/codesAt` in the shape of the recorded KLASS 131 answer (test/fixtures/ssb,
 * the probe's `klass.body`): level 1 = classes "01"–"06" named as SSB names them, level 2 = each
 * kommune with its class as parent and its index in `notes` — values from data/sentralitet.csv.
 * A pre-2020 code ("0101 Halden (-2019)") is listed too, as SSB's versions keep history.
 */
export function klass128Codes(edit?: (codes: KlassCode[]) => KlassCode[]): KlassCode[] {
  const rows = snapshotCsv('sentralitet.csv');
  const names = new Map(snapshotKommuner().map((k) => [k.code, k.name]));
  const classes = new Map<string, string>();
  for (const r of rows) classes.set(r.sentralitetsklasse!, r.klasse_navn!);
  const code = (c: Partial<KlassCode> & Pick<KlassCode, 'code' | 'level' | 'name'>): KlassCode => ({
    parentCode: null,
    shortName: '',
    presentationName: '',
    validFrom: null,
    validTo: null,
    notes: '',
    ...c,
  });
  const out: KlassCode[] = [...classes].sort().map(([cls, name]) => code({ code: cls.padStart(2, '0'), level: '1', name }));
  for (const r of rows) {
    const old = KLASS_OLD_CODES[r.kommunenummer!];
    out.push(code({ code: old?.code ?? r.kommunenummer!, parentCode: r.sentralitetsklasse!.padStart(2, '0'), level: '2', name: old?.name ?? names.get(r.kommunenummer!)!, notes: r.value! }));
  }
  out.push(code({ code: '0101', parentCode: '03', level: '2', name: 'Halden (-2019)', notes: rows.find((r) => r.kommunenummer === '3101')!.value! }));
  return edit ? edit(out) : out;
}

export interface KlassMock {
  readonly requests: string[];
  readonly handlers: ReturnType<typeof http.get>[];
  /** Changes the codes served from now on. */
  edit(fn: ((codes: KlassCode[]) => KlassCode[]) | null): void;
}

export function createKlassMock(): KlassMock {
  const requests: string[] = [];
  let editor: ((codes: KlassCode[]) => KlassCode[]) | null = null;
  return {
    requests,
    handlers: [
      http.get(`${KLASS_BASE_URL}/classifications/128/codesAt`, ({ request }) => {
        requests.push(request.url);
        return HttpResponse.json({ codes: klass128Codes(editor ?? undefined) });
      }),
    ],
    edit(fn) {
      editor = fn;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// ROBEK

export interface RobekPageOptions {
  /** Rows left out of the table (codes), e.g. to make the stated count disagree. */
  drop?: string[];
  /** Replaces the page's "Antall registrerte kommuner nå" number. */
  stated?: number;
  /** Replaces the register date (DD.MM.YYYY). */
  date?: string;
  /** The whole page replaced (a redesign). */
  html?: string;
}

/**
 * The regjeringen.no page "Kommuner som er oppført i registeret", built from data/robek.csv
 * (the register of 2026-04-20, 27 kommuner). Its layout follows the text of that page as stored
 * copies of it show (2017, 2020, 2022): the two sentences the parser checks, then a table with a
 * header row (Fylke | Kommune-nummer | Kommune | Lovhjemmelbokstav), one row per county with
 * "N kommuner", and one row per registered kommune under it. Entities and a <br> in the header as
 * an HTML editor writes them.
 */
export function robekPage(opts: RobekPageOptions = {}): string {
  if (opts.html !== undefined) return opts.html;
  const rows = snapshotCsv('robek.csv').filter((r) => r.value === '1' && !(opts.drop ?? []).includes(r.kommunenummer!));
  const all = snapshotCsv('robek.csv').filter((r) => r.value === '1');
  const kommuner = new Map(snapshotKommuner().map((k) => [k.code, k]));
  const date = opts.date ?? all[0]!.registerdato!.split('-').reverse().join('.');
  const counties = [...new Map(snapshotKommuner().map((k) => [k.countyCode, k.countyName])).entries()];
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/å/g, '&aring;').replace(/ø/g, '&oslash;').replace(/æ/g, '&aelig;').replace(/Å/g, '&Aring;').replace(/Ø/g, '&Oslash;');
  const body: string[] = [];
  for (const [code, name] of counties) {
    const inCounty = rows.filter((r) => r.kommunenummer!.startsWith(code));
    const stated = all.filter((r) => r.kommunenummer!.startsWith(code)).length;
    body.push(`<tr><td>${esc(name)}</td><td colspan="2">${stated} ${stated === 1 ? 'kommune' : 'kommuner'}</td><td>&nbsp;</td></tr>`);
    for (const r of inCounty) {
      const k = kommuner.get(r.kommunenummer!)!;
      body.push(`<tr><td>&nbsp;</td><td>${r.kommunenummer}</td><td>${esc(k.nameNorwegian)}</td><td>${esc(r.lovhjemmel_bokstav ?? '')}</td></tr>`);
    }
  }
  return `<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"><title>Kommuner som er oppf&oslash;rt i registeret - regjeringen.no</title></head>
<body><main>
<h1>Kommuner som er oppf&oslash;rt i registeret</h1>
<p>Kommunene i listen nedenfor er registrert i ROBEK med hjemmel i kommuneloven &sect; 28-1 f&oslash;rste ledd.</p>
<p>Registeret er sist oppdatert ${date}.</p>
<p>Antall registrerte kommuner n&aring;: ${opts.stated ?? all.length}</p>
<h2>Kommuner som er registrert</h2>
<table class="robek">
<tbody>
<tr><th>Fylke</th><th>Kommune-<br>nummer</th><th>Kommune</th><th>Lovhjemmel&shy;bokstav</th></tr>
${body.join('\n')}
</tbody>
</table>
</main></body></html>`;
}

export interface RobekMock {
  readonly requests: string[];
  readonly handlers: ReturnType<typeof http.get>[];
  /** The page served from now on. */
  set(opts: RobekPageOptions): void;
}

export function createRobekMock(): RobekMock {
  const requests: string[] = [];
  let opts: RobekPageOptions = {};
  return {
    requests,
    handlers: [
      http.get(ROBEK_URL, ({ request }) => {
        requests.push(request.url);
        return new HttpResponse(robekPage(opts), { headers: { 'content-type': 'text/html; charset=utf-8' } });
      }),
    ],
    set(o) {
      opts = o;
    },
  };
}
