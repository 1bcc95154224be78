/** The web pages' routes (src/web/app.tsx), apart so the Worker can tell a page request cheaply. */
export const PAGE_PATHS = ['/', '/kommuner/:nr', '/tomter', '/modeller', '/logg-inn', '/be-om-lenke', '/logg-ut'] as const;

/** Map pictures behind signed URLs (chat, Teams cards): no session, the signature is the permission. */
export const MAP_PATHS = ['/kart.png', '/kart.svg'] as const;

export function isWebPage(path: string): boolean {
  return (MAP_PATHS as readonly string[]).includes(path) || PAGE_PATHS.some((p) => (p.endsWith('/:nr') ? path.startsWith(p.slice(0, -3)) : path === p));
}
