import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { widgetLanguages } from '../shared/protocol.js';

// The demo shop's page frame and the widget embed, written the way the README tells a site
// owner to: one script tag, a container inside the login form, a callback that submits it.
// Every value goes through hono/html's escaping; `raw` is used only for fixed markup.

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface Site {
  /** PUBLIC_URL: where browsers load embed.js and the iframe. */
  veriframeUrl: string;
  resourceId: string;
  /** The dev outbox page, when e-mails go there (no SMTP_URL; VERIFRAME_DEV_OUTBOX=1, as `serve --demo` sets). */
  outboxUrl?: string;
}

export const languages = ['auto', ...widgetLanguages] as const;
export type Lang = (typeof languages)[number];
const languageNames: Record<Lang, string> = { auto: 'auto', en: 'English', fr: 'Français', de: 'Deutsch', es: 'Español', ru: 'Русский', uk: 'Українська' };

export const langOf = (q: string | undefined): Lang => ((languages as readonly string[]).includes(q ?? '') ? (q as Lang) : 'auto');

const css = raw(`
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
h1{font-size:1.7rem;margin:.8rem 0}h2{font-size:1.25rem}
header{background:#7a1fa2;color:#fff;padding:.6rem 1.5rem;display:flex;gap:1rem;align-items:baseline;flex-wrap:wrap}
header a{color:#fff;font-weight:600;text-decoration:none;font-size:1.15rem}
header span{opacity:.85;font-size:.85rem}
main{max-width:64rem;margin:0 auto;padding:1rem 1.5rem 3rem}
.cols{display:grid;grid-template-columns:minmax(0,1fr) 380px;gap:2rem;align-items:start}
@media (max-width:760px){.cols{grid-template-columns:1fr}}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1rem}.card h2{margin-top:0}
code,kbd,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
kbd{background:#eaeef2;border-radius:4px;padding:.05rem .35rem}
.big{font-size:1.6rem;letter-spacing:.12em;font-weight:600}
pre{background:#eaeef2;padding:.6rem;border-radius:6px;overflow:auto;font-size:.8rem}
table{border-collapse:collapse}td,th{border-bottom:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
.langs{font-size:.8rem;margin:0 0 .5rem;display:flex;flex-wrap:wrap;gap:.1rem .6rem}
td code{white-space:nowrap}
.ok{color:#1a7f37}.bad{color:#cf222e}
button{font:inherit;padding:.35rem .9rem;border-radius:6px;border:1px solid #7a1fa2;background:#7a1fa2;color:#fff;cursor:pointer}
button.plain{background:#fff;color:#7a1fa2}
input[type=text]{font:inherit;padding:.3rem .5rem;width:10rem}
.qr svg{width:180px;height:180px;display:block}
body.dark{background:#0d1117;color:#e6edf3}
body.dark .card{background:#161b22;border-color:#30363d}
body.dark a{color:#79c0ff}body.dark header{background:#3b0a52}
body.dark pre,body.dark kbd{background:#21262d}
`);

// The loader calls this with the token after it filled the form's hidden input: the form whose
// input holds it is the one to submit (pages with two widgets have two forms).
const callback = raw(`<script>
function demoSignedIn(token) {
  for (const input of document.querySelectorAll('input[name="veriframe-token"]')) {
    if (input.value === token) return input.form.submit();
  }
}
</script>`);

export function page(site: Site, o: { title: string; body: Html; widgets?: boolean; dark?: boolean }): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${o.title} · Demo shop</title>
<style>${css}</style>
${
  o.widgets
    ? html`<script src="${site.veriframeUrl}/embed.js" async defer></script>
${callback}`
    : ''
}
</head>
<body${o.dark ? raw(' class="dark"') : ''}>
<header><a href="/">Demo shop</a><span>an ordinary website that signs its users in with Veriframe (${site.veriframeUrl})</span></header>
<main>
${o.body}
</main>
</body>
</html>`;
}

export interface WidgetOptions {
  nonce: string;
  /** The page to come back to from the result page. */
  back: string;
  lang: Lang;
  theme?: 'light' | 'dark' | 'auto';
  /** Brand colour (data-accent); none keeps the widget's own, which suits its dark theme. */
  accent?: string;
  size?: 'normal' | 'compact';
}

/** The shop's brand colour, passed to its widgets (data-accent). */
export const SHOP_ACCENT = '#7a1fa2';

/** The login form with the widget container (DESIGN §7.1) and this page view's nonce. */
export function loginForm(site: Site, w: WidgetOptions): Html {
  return html`<form class="login" method="post" action="/login">
<input type="hidden" name="nonce" value="${w.nonce}">
<input type="hidden" name="back" value="${w.back}">
<div class="veriframe" data-resource="${site.resourceId}" data-nonce="${w.nonce}" data-callback="demoSignedIn" data-theme="${w.theme ?? 'auto'}" data-lang="${w.lang}"${w.accent ? html` data-accent="${w.accent}"` : ''}${w.size ? html` data-size="${w.size}"` : ''}></div>
<noscript>The sign-in needs JavaScript.</noscript>
</form>`;
}

/** Links that reload the page with the widget in another language (data-lang). */
export function langBar(path: string, current: Lang): Html {
  return html`<div class="langs"><span>Widget language:</span>
${languages.map((l) => (l === current ? html`<b>${languageNames[l]}</b>` : html`<a href="${path}?lang=${l}">${languageNames[l]}</a>`))}</div>`;
}

/** The markup a site owner writes, shown on the home page next to the live widget. */
export function embedSnippet(site: Site): string {
  return `<script src="${site.veriframeUrl}/embed.js" async defer></script>
<form action="/login" method="post">
  <div class="veriframe" data-resource="${site.resourceId}"
       data-nonce="NONCE_MINTED_PER_PAGE_VIEW" data-callback="demoSignedIn"
       data-accent="${SHOP_ACCENT}"></div>
</form>`;
}
