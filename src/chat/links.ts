/**
 * tomte's own kommune links: the web page `/kommuner/{nr}` under TOMTE_PUBLIC_URL. Slack's
 * `link_shared` and Teams' `composeExtension/queryLink` unfurl them into the kommune card.
 */

/** The kommune number of a link to `/kommuner/{nr}` on the public URL's host (and under its path); null for any other link. */
export function kommuneNrOfLink(link: string, publicUrl: string | undefined | null): string | null {
  if (!publicUrl) return null;
  let u: URL;
  let base: URL;
  try {
    u = new URL(link);
    base = new URL(publicUrl);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  if (u.host.toLowerCase() !== base.host.toLowerCase()) return null;
  const prefix = base.pathname.replace(/\/+$/, '');
  const m = /^\/kommuner\/(\d{4})\/?$/.exec(u.pathname.slice(prefix.length));
  return u.pathname.startsWith(`${prefix}/`) && m ? m[1]! : null;
}

/** The host Slack's `unfurl_domains` and Teams' link handler register: the public URL's host. */
export function publicHost(publicUrl: string): string {
  return new URL(publicUrl).host;
}
