/** @jsxImportSource hono/jsx */
import type { Lang } from '../../domain/localized';
import { Layout, type LayoutProps } from '../layout';

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
