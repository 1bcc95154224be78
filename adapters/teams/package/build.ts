import { buildTeamsManifest, ACCENT_COLOR, type TeamsManifest, type TeamsManifestInput } from './manifest';
import { colorIcon, encodePng, outlineIcon } from './png';
import { createZip } from './zip';

/** The Teams app package: manifest.json, color.png and outline.png at the root of a zip. */
export function buildTeamsPackage(input: TeamsManifestInput): { zip: Buffer; manifest: TeamsManifest } {
  const manifest = buildTeamsManifest(input);
  const zip = createZip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    { name: manifest.icons.color, data: encodePng(colorIcon(ACCENT_COLOR)) },
    { name: manifest.icons.outline, data: encodePng(outlineIcon()) },
  ]);
  return { zip, manifest };
}
