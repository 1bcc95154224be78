/** @jsxImportSource hono/jsx */
import type { Lang } from '../../domain/localized';
import { Layout, type LayoutProps } from '../layout';
import { texts } from '../texts';

/** A page with one message: sign-in needed, a refused link, not found, still starting. */
export function MessagePage(p: { lang: Lang; here: string; title: string; text: string; session?: LayoutProps['session'] }) {
  return (
    <Layout lang={p.lang} title={p.title} here={p.here} session={p.session ?? null}>
      <div class="card">
        <h1>{p.title}</h1>
        <p>{p.text}</p>
      </div>
    </Layout>
  );
}

/**
 * What a sign-in link opens: who it signs in and a button. Only the button (POST /logg-inn) uses
 * the link up, so a link-preview bot or mail scanner that fetches the URL does not. No script.
 */
export function SignInPage(p: { lang: Lang; here: string; label: string; platform: 'slack' | 'teams'; token: string; next: string | undefined }) {
  const t = texts(p.lang);
  const heading = t.signInAs(p.label, p.platform === 'slack' ? 'Slack' : 'Teams');
  return (
    <Layout lang={p.lang} title={t.signInTitle} here={p.here} session={null}>
      <div class="card">
        <h1>{heading}</h1>
        <p>{t.signInNote}</p>
        <form method="post" action="/logg-inn" class="signin">
          <input type="hidden" name="t" value={p.token} />
          {p.next ? <input type="hidden" name="neste" value={p.next} /> : null}
          <button type="submit">{t.signInButton}</button>
        </form>
      </div>
    </Layout>
  );
}
