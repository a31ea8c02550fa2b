import { html, raw } from 'hono/html';
import { renderSVG } from 'uqr';
import type { Token } from './admin-api.js';
import { SHOP_ACCENT, langBar, loginForm, page, type Html, type Lang, type Site } from './layout.js';
import { HARDWARE_CSV, OCRA_SUITE, type DemoUser } from './users.js';

// One page per demo user: what to type where, the "device" the user would hold (live codes, a
// QR code to enrol a real phone, the next codes of a hardware token, an OCRA calculator), the
// token's state from the admin API where it matters, and the widget to try it.

export interface UserPageData {
  nonce: string;
  lang: Lang;
  /** alice, frank: the enrolled TOTP secret and the code it shows now. */
  totp?: { uri: string; base32: string; code: string; remaining: number };
  /** carol: the shipped CSV and the next codes of her token, or why they are unknown. */
  hotp?: { csv: string; serial: string; next: { counter: number; code: string }[] | string };
  /** erin, frank: the token as GET /api/v1/tokens/{id} shows it. */
  token?: Token;
  /** ivan: a fresh enrolment link for the authenticator app, when he asked for one. */
  pushUri?: string;
}

const grouped = (s: string) => s.replace(/(.{4})(?=.)/g, '$1 ');

// Counts down and fetches the next code when the period ends; the code is computed server-side.
const liveScript = raw(`<script>
(function () {
  var code = document.getElementById('live-code'), left = document.getElementById('live-left');
  var remaining = Number(left.textContent);
  setInterval(function () {
    if (--remaining > 0) { left.textContent = remaining; return; }
    fetch(code.dataset.src, { cache: 'no-store' }).then(function (r) { return r.json(); }).then(function (r) {
      code.textContent = r.code; remaining = r.remaining; left.textContent = r.remaining;
    }).catch(function () {});
  }, 1000);
})();
</script>`);

function liveCode(login: string, t: NonNullable<UserPageData['totp']>): Html {
  return html`<p>Current code: <span id="live-code" class="big mono" data-src="/codes/${login}">${t.code}</span>
(a new one in <span id="live-left">${t.remaining}</span> s)<br><small>Each code is accepted once: to sign in
again right away, wait for the next one.</small></p>${liveScript}`;
}

function enrol(t: NonNullable<UserPageData['totp']>): Html {
  return html`<details><summary>Use a real authenticator app instead</summary>
<p>Scan this QR code with Google Authenticator, Aegis, 1Password, FreeOTP… (or type the secret):</p>
<div class="qr">${raw(renderSVG(t.uri))}</div>
<p>Secret: <code>${grouped(t.base32)}</code> (TOTP, SHA1, 6 digits, 30 s)</p>
<p><small>It is the secret Veriframe returned once when the token was created; the demo kept it
in its state file to show it here. A real site would never show it again.</small></p>
</details>`;
}

const steps = (u: DemoUser, then: Html) => html`<ol>
<li>In the widget, type login <kbd>${u.login}</kbd> and password <kbd>${u.password}</kbd>, then <b>Continue</b>.</li>
${then}
<li>The form posts the signed token to this site, which verifies it and shows the claims.</li>
</ol>`;

function alice(u: DemoUser, d: UserPageData): Html {
  const t = d.totp!;
  return html`<p>Alice uses an authenticator app on her phone (a software TOTP token created with
<code>POST /api/v1/tokens</code> and paired with her on the shop's resource).</p>
${steps(u, html`<li>The widget asks for a one-time code: type the code below (it is what her app shows now).</li>`)}
${liveCode(u.login, t)}
${enrol(t)}`;
}

function bob(u: DemoUser, site: Site): Html {
  return html`<p>Bob gets his codes by e-mail (an e-mail token). After his password, Veriframe sends
a 6-digit code to <code>${u.email}</code>, valid for 5 minutes.</p>
${steps(
  u,
  site.outboxUrl
    ? html`<li>No mail server is configured, so the message lands in the dev outbox: open
<a href="${site.outboxUrl}" target="_blank">${site.outboxUrl}</a> (a new tab; it refreshes every 3 s) and
type the code from the newest message to ${u.email}.</li>`
    : html`<li>Read the code in ${u.email}'s mailbox on the configured mail server (SMTP_URL).</li>`,
)}
<p>“Send a new code” in the widget works after 30 s.</p>`;
}

function carol(u: DemoUser, d: UserPageData): Html {
  const h = d.hotp!;
  return html`<p>Carol has a hardware HOTP token, serial <code>${h.serial}</code>. The shop imported it
with the other tokens of this CSV file (<code>POST /api/v1/tokens/import?kind=hardware&amp;type=hotp</code>,
or <code>npx veriframe import-tokens</code>):</p>
<pre>${h.csv}</pre>
<p><a href="/${HARDWARE_CSV}">Download ${HARDWARE_CSV}</a></p>
${steps(u, html`<li>The widget asks for a one-time code: type the next code of her token (below).</li>`)}
${
  typeof h.next === 'string'
    ? html`<p class="bad">${h.next}</p>`
    : html`<p>A real token shows the next code each time its button is pressed. Computed from the secret in
the file, starting at the code Veriframe expects next:</p>
<p>${h.next.map((n, i) => html`<span class="${i === 0 ? 'big mono' : 'mono'}">${n.code}</span> <small>(counter ${n.counter})</small>${i < h.next.length - 1 ? raw(' → ') : ''}`)}</p>
<p><small>Each code works once. Veriframe accepts any of the 10 codes after the last one used, so a
code skipped on the device does no harm. Reload this page after a login to see the next ones.</small></p>`
}`;
}

// Computes the response without leaving the page: the widget's challenge is bound to its
// transaction, and a reload would start a new one with a new challenge.
const ocraScript = raw(`<script>
document.getElementById('ocra-form').addEventListener('submit', function (e) {
  e.preventDefault();
  var out = document.getElementById('ocra-out');
  fetch('/ocra', { method: 'POST', body: new URLSearchParams(new FormData(e.target)), headers: { accept: 'application/json' } })
    .then(function (r) { return r.json(); })
    .then(function (r) { out.textContent = r.response ? 'Response: ' + r.response : r.error; out.className = r.response ? 'big mono' : 'bad'; });
});
</script>`);

function dave(u: DemoUser): Html {
  return html`<p>Dave has an OCRA challenge–response token (RFC 6287), suite <code>${OCRA_SUITE}</code>: the
widget shows an 8-digit challenge, dave types it into his token, and the token shows the 6-digit
response to type back.</p>
${steps(u, html`<li>The widget shows a <b>challenge</b> (digits and a QR code). Type it below to get the response his token would compute, then type that response into the widget.</li>`)}
<form id="ocra-form" class="card" method="post" action="/ocra" target="_blank">
<label>Challenge <input type="text" name="challenge" inputmode="numeric" autocomplete="off" placeholder="12345678"></label>
<button type="submit">Compute response</button>
<p id="ocra-out" aria-live="polite"></p>
</form>
${ocraScript}
<p><small>Dave's token uses the key of RFC 6287's test vectors, so you can check the helper: challenge
<code>00000000</code> gives <code>237653</code>.</small></p>`;
}

function erin(u: DemoUser, d: UserPageData): Html {
  const b = d.token?.bypass;
  const state = b?.permanent ? 'permanent bypass' : b?.until ? `bypass until ${b.until}` : 'no bypass (an administrator ended it)';
  return html`<p>Erin's token is in <b>bypass</b>: an administrator let her sign in without a code, for
instance while her phone is being replaced (<code>POST /api/v1/tokens/{id}/bypass</code> with
1, 8, 12 or 24 hours, or permanently). Her token now: <b>${state}</b>.</p>
${steps(u, html`<li>No code is asked for: the widget signs her in after the password.</li>`)}
<p>The result's <code>amr</code> is <code>pwd, bypass</code>, so the shop can tell, and every bypassed
sign-in is recorded as an event.</p>`;
}

function frank(u: DemoUser, d: UserPageData): Html {
  const t = d.token;
  const state = !t
    ? 'unknown'
    : t.locked
      ? html`<b class="bad">locked</b> since ${t.lockedAt ?? '?'} (${t.failedAttempts} failed attempts)`
      : html`<b class="ok">not locked</b> (${t.failedAttempts} failed attempts)`;
  return html`<p>Frank's token was locked on the demo's first start by wrong codes sent through the
authentication API: after the resource's limit of wrong codes, a token locks until an
administrator unlocks it, and Veriframe e-mails the user a lock notice (see the dev outbox
while the server runs).</p>
<p>His token now (from <code>GET /api/v1/tokens/{id}</code>): ${state}.</p>
<ol>
<li>Sign in as <kbd>${u.login}</kbd> / <kbd>${u.password}</kbd>: ${t?.locked ? 'the widget says the account is locked.' : 'the widget asks for his code.'}</li>
<li>Unlock him the way an administrator would (<code>POST /api/v1/tokens/{id}/unlock</code> with the admin key):
<form method="post" action="/users/frank/unlock" style="display:inline"><button type="submit">Unlock frank's token</button></form></li>
<li>Sign in again with his current code: ${d.totp ? liveCode(u.login, d.totp) : ''}</li>
</ol>
<form method="post" action="/users/frank/lock"><button type="submit" class="plain">Lock him again</button>
<small>(sends wrong codes through the authentication API until the token locks)</small></form>`;
}

function ivan(u: DemoUser, d: UserPageData, site: Site): Html {
  const app = `${site.veriframeUrl}/app/`;
  const link = d.pushUri
    ? html`<p>Scan this QR code in the app (<b>Add</b> → scan), or paste the link there. It works once, for 10 minutes:</p>
<div class="qr">${raw(renderSVG(d.pushUri))}</div>
<p><small><code style="overflow-wrap:anywhere">${d.pushUri}</code></small></p>`
    : html`<form method="post" action="/users/ivan/enrol"><button type="submit">Show an enrolment QR code for ivan's token</button></form>
<p><small>A new code replaces the app registered before (<code>POST /api/v1/tokens/{id}/reissue</code> with the admin key).</small></p>`;
  return html`<p>Ivan's token is a <b>push token</b>: instead of typing a code he approves the sign-in in the
Veriframe authenticator app, which shows who signs in where (site, login, address, browser, time).</p>
<ol>
<li>Open the authenticator app at <a href="${app}">${app}</a> (in this browser, another one, or on a phone
that reaches this address) and choose a PIN.</li>
<li>Enrol ivan's token in the app: ${link}</li>
<li>In the widget, type login <kbd>${u.login}</kbd> and password <kbd>${u.password}</kbd>, then <b>Continue</b>.</li>
<li>The app lists the sign-in request: <b>Approve</b>, and the widget continues by itself (<b>Deny</b>, and it says so).</li>
<li>The form posts the signed token to this site, which verifies it and shows the claims.</li>
</ol>`;
}

export function userPage(site: Site, u: DemoUser, d: UserPageData): Html {
  const path = `/users/${u.login}`;
  const body =
    u.login === 'alice'
      ? alice(u, d)
      : u.login === 'bob'
        ? bob(u, site)
        : u.login === 'carol'
          ? carol(u, d)
          : u.login === 'dave'
            ? dave(u)
            : u.login === 'erin'
              ? erin(u, d)
              : u.login === 'ivan'
                ? ivan(u, d, site)
                : frank(u, d);
  return page(site, {
    title: u.login,
    widgets: true,
    body: html`<div class="cols">
<div><h1>${u.firstName}: ${u.title.charAt(0).toLowerCase() + u.title.slice(1)}</h1>${body}</div>
<div class="card">${langBar(path, d.lang)}${loginForm(site, { nonce: d.nonce, back: path, lang: d.lang, accent: SHOP_ACCENT })}</div>
</div>`,
  });
}
