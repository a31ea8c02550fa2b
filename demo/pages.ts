import { html } from 'hono/html';
import { SHOP_ACCENT, embedSnippet, langBar, loginForm, page, type Html, type Lang, type Site } from './layout.js';
import type { Check } from './verify.js';
import { DEMO_USERS, PORTAL_ADDRESS, SELF_SERVICE_USERS } from './users.js';

// The shop's general pages: home (the login with the list of cases), two widgets on one page,
// the dark theme, and the result page the login form posts to.

const casesTable = html`<table>
<thead><tr><th>login</th><th>password</th><th>then</th></tr></thead>
<tbody>${DEMO_USERS.map(
  (u) => html`<tr><td><a href="/users/${u.login}"><b>${u.login}</b></a></td><td><code>${u.password}</code></td><td>${u.title}</td></tr>`,
)}</tbody></table>`;

export function homePage(site: Site, w: { nonce: string; lang: Lang }): Html {
  return page(site, {
    title: 'Sign in',
    widgets: true,
    body: html`<div class="cols">
<div>
<h1>Welcome to the demo shop</h1>
<p>This site runs on its own origin, like any website that uses Veriframe. The sign-in box on the
right is Veriframe's widget in an iframe; when it succeeds, the form posts a signed token to this
site, whose server verifies it and shows you what it learnt.</p>
<h2>Pick a demo user</h2>
<p>Each user shows another second factor. Open a user's page for step-by-step instructions (codes,
QR code, helpers), or sign in right here.</p>
${casesTable}
<h2>Self-service</h2>
<p>Users enrol and manage their own tokens in the shop's <a href="${site.veriframeUrl}/self-service/${PORTAL_ADDRESS}" target="_blank">self-service portal</a>
(the administrator chose what is allowed there), or during login when they have none yet:</p>
<table>
<thead><tr><th>login</th><th>password</th><th>then</th></tr></thead>
<tbody>${SELF_SERVICE_USERS.map(
      (u) =>
        html`<tr><td><b>${u.login}</b></td><td><code>${u.password}</code></td><td>${u.where === 'portal' ? html`<a href="${site.veriframeUrl}/self-service/${PORTAL_ADDRESS}" target="_blank">${u.title}</a>` : u.title}</td></tr>`,
    )}</tbody></table>
<h2>More</h2>
<ul>
<li><a href="/two">Two widgets on one page</a> (each with its own nonce and form)</li>
<li><a href="/dark">Dark theme</a> (<code>data-theme="dark"</code> on a dark site)</li>
<li>Languages: the links above the widget set <code>data-lang</code>; the widget also has its own switch at the bottom.</li>
${site.outboxUrl ? html`<li><a href="${site.outboxUrl}" target="_blank">Dev outbox</a>: e-mails Veriframe sent (codes, lock notices)</li>` : ''}
<li><a href="${site.veriframeUrl}/docs" target="_blank">Veriframe API reference</a> (the admin key printed in the terminal works there)</li>
</ul>
<h2>What the site owner wrote</h2>
<pre>${embedSnippet(site)}</pre>
</div>
<div class="card">
${langBar('/', w.lang)}
${loginForm(site, { nonce: w.nonce, back: '/', lang: w.lang, accent: SHOP_ACCENT })}
</div>
</div>`,
  });
}

export function twoWidgetsPage(site: Site, w: { nonces: [string, string]; lang: Lang }): Html {
  return page(site, {
    title: 'Two widgets',
    widgets: true,
    body: html`<h1>Two widgets on one page</h1>
<p>Two independent sign-ins, each in its own form with its own nonce: the loader renders every
<code>.veriframe</code> container it finds. Sign in with either (any demo user, e.g. <b>erin</b> /
<code>erin-demo</code>, who needs no code). The second one is compact with another accent colour
(<code>data-size="compact" data-accent="#1a7f37"</code>).</p>
${langBar('/two', w.lang)}
<div class="cols" style="grid-template-columns:1fr 1fr">
<div class="card"><h2>Customer login</h2>${loginForm(site, { nonce: w.nonces[0], back: '/two', lang: w.lang, accent: SHOP_ACCENT })}</div>
<div class="card"><h2>Staff login</h2>${loginForm(site, { nonce: w.nonces[1], back: '/two', lang: w.lang, size: 'compact', accent: '#1a7f37' })}</div>
</div>`,
  });
}

export function darkPage(site: Site, w: { nonce: string; lang: Lang }): Html {
  return page(site, {
    title: 'Dark theme',
    widgets: true,
    dark: true,
    body: html`<div class="cols">
<div>
<h1>Dark theme</h1>
<p>The same widget with <code>data-theme="dark"</code> on a dark page. With
<code>data-theme="auto"</code> (the default) it follows the visitor's system setting.</p>
<p>Sign in as any demo user, e.g. <b>erin</b> / <code>erin-demo</code> (no code needed).</p>
</div>
<div class="card">${langBar('/dark', w.lang)}${loginForm(site, { nonce: w.nonce, back: '/dark', lang: w.lang, theme: 'dark' })}</div>
</div>`,
  });
}

export interface LoginOutcome {
  back: string;
  /** The form itself was unusable (no token); nothing else was checked. */
  problem?: string;
  nonce?: { ok: boolean; text: string };
  online?: Check;
  offline?: Check;
  token?: string;
}

const line = (ok: boolean, what: Html | string, detail: Html | string) =>
  html`<li><b class="${ok ? 'ok' : 'bad'}">${ok ? '✓' : '✗'}</b> ${what}: ${detail}</li>`;

const seconds = (v: unknown) => (typeof v === 'number' ? `${v} (${new Date(v * 1000).toISOString()})` : String(v));
const shown = (key: string, v: unknown) => (['iat', 'exp', 'auth_time'].includes(key) ? seconds(v) : Array.isArray(v) ? v.join(', ') : String(v));

/** The page the login form posts to: the verified claims, or which check failed and why. */
export function resultPage(site: Site, o: LoginOutcome): Html {
  const ok = !o.problem && o.nonce?.ok === true && o.online?.ok === true && o.offline?.ok === true;
  const claims = o.offline?.ok ? o.offline.claims : o.online?.ok ? o.online.claims : undefined;
  const order = ['login', 'sub', 'amr', 'origin', 'iss', 'aud', 'nonce', 'auth_time', 'iat', 'exp', 'jti', 'kid'];
  const keys = claims ? order.filter((k) => k in claims) : [];
  return page(site, {
    title: ok ? 'Signed in' : 'Sign-in refused',
    body: html`<h1 class="${ok ? 'ok' : 'bad'}">${ok ? html`Signed in as ${String(claims?.login)}` : 'Sign-in not accepted'}</h1>
<p>${ok ? "The shop's server checked the widget's token three ways before trusting it:" : 'The shop did not sign anyone in. The checks it made:'}</p>
<ul>
${o.problem ? line(false, 'Form', o.problem) : ''}
${o.nonce ? line(o.nonce.ok, 'Nonce', o.nonce.text) : ''}
${o.online ? line(o.online.ok, html`Online: <code>POST /api/v1/verify</code> (single use)`, o.online.ok ? 'valid' : o.online.reason) : ''}
${o.offline ? line(o.offline.ok, html`Offline: <code>@veriframe/sdk</code> with <code>/.well-known/jwks.json</code> (ES256, iss, aud, exp, nonce)`, o.offline.ok ? 'valid' : o.offline.reason) : ''}
</ul>
${
  claims
    ? html`<h2>${ok ? 'Verified claims' : 'Claims (from the check that passed)'}</h2>
<table class="card">${keys.map((k) => html`<tr><th>${k}</th><td class="mono">${shown(k, claims[k])}</td></tr>`)}</table>
<p><small><b>amr</b> says how the user authenticated: <code>pwd</code> password, <code>otp</code> one-time code, <code>bypass</code> token in bypass.</small></p>`
    : ''
}
${o.token ? html`<details><summary>The raw token</summary><pre style="white-space:pre-wrap;word-break:break-all">${o.token}</pre></details>` : ''}
<p><a href="${o.back}">← Back</a> · <a href="/">Home</a></p>`,
  });
}
