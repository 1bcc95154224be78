/** @jsxImportSource hono/jsx */
import type { Lang } from '../../domain/localized';
import type { Tier } from '../../domain/scoring/engine';
import { PUBLISHERS } from '../../domain/publishers';
import type { LegendItem } from '../map/tier-map';
import { tierFill, UNCLASSIFIED_FILL } from '../map/colors';
import { texts } from '../texts';

export function Swatch(p: { fill: string }) {
  return p.fill === UNCLASSIFIED_FILL ? <span class="swatch hatch" aria-hidden="true"></span> : <span class="swatch" style={`background:${p.fill}`} aria-hidden="true"></span>;
}

export function Legend(p: { lang: Lang; items: LegendItem[] }) {
  return (
    <ul class="legend" aria-label={texts(p.lang).legend}>
      {p.items.map((i) => (
        <li>
          <Swatch fill={i.fill} />
          {i.label}
        </li>
      ))}
    </ul>
  );
}

export function tierText(tier: Tier | null, lang: Lang): string {
  return tier === null ? texts(lang).tierNone : `Tier ${tier}`;
}

export function TierCell(p: { lang: Lang; tier: Tier | null }) {
  return (
    <td class="tier">
      <Swatch fill={tierFill(p.tier)} />
      {tierText(p.tier, p.lang)}
    </td>
  );
}

/** Where a figure's table can be read: SSB tables by number in the statbank, else the publisher's page. */
export function sourceUrl(source: string, table: string): string | null {
  if (source === 'SSB' && /^\d{5}$/.test(table)) return `https://www.ssb.no/statbank/table/${table}`;
  if (source === 'SSB' && /^KLASS (\d+)$/.test(table)) return `https://www.ssb.no/klass/klassifikasjoner/${table.slice(6)}`;
  return PUBLISHERS[source]?.url ?? null;
}

export function SourceLink(p: { source: string; table: string }) {
  const url = sourceUrl(p.source, p.table);
  const label = `${p.source} ${p.table}`;
  return url ? <a href={url}>{label}</a> : <>{label}</>;
}
