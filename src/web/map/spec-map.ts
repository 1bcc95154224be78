import type { Lang } from '../../domain/localized';
import type { MapSpec } from '../../domain/map-spec';
import type { ReadModel } from '../../services/read-model';
import { tierMapSvg } from './tier-map';

/**
 * The picture a MapSpec describes, as SVG, legend and attribution inside (it travels alone, as a
 * PNG in chat or an image in a card). Unknown model or fylke: the default model, the whole country.
 */
export function mapSpecSvg(rm: ReadModel, spec: MapSpec, lang: Lang): string {
  const view = (spec.model && rm.forModel(spec.model)) || rm.primary;
  const county = spec.county ? rm.registry.counties().find((c) => c.code === spec.county) : undefined;
  const focus = county ? rm.registry.all().filter((k) => k.countyCode === county.code).map((k) => k.code) : undefined;
  const where = county ? county.name : lang === 'nb' ? 'Norge' : 'Norway';
  const title = lang === 'nb' ? `Tier per kommune, ${where} (${view.model.id})` : `Tier by kommune, ${where} (${view.model.id})`;
  return tierMapSvg({
    rm: view,
    lang,
    title,
    legendInside: true,
    ...(focus ? { focus } : {}),
    ...(spec.outline && spec.outline.length > 0 ? { outline: new Set(spec.outline) } : {}),
    ...(spec.points ? { points: spec.points.map((p) => ({ ...p, label: p.kind })) } : {}),
  });
}
