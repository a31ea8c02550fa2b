import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { docsRoutes } from '../../server/src/http/docs.js';

// Finding (issue 13, low): /docs had no Content-Security-Policy and no framing protection, so any
// site could frame the API reference (clickjacking its "try it" console) and nothing limited what
// a script injected into the page could do. Now: a strict policy that still lets the page run
// exactly its own bundle and the inline script that starts it (no browser on this machine to
// render it, so the test checks that every script of the page is one the policy allows).

const app = docsRoutes('/api/v1/openapi.json');

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('/docs security headers', () => {
  it('forbids framing by any site', async () => {
    const res = await app.request('/docs');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.deepEqual(directives(res.headers.get('content-security-policy') ?? '').get('frame-ancestors'), ["'none'"]);
  });

  it('has a strict policy: nothing by default, no eval, no inline script but its own, this origin only', async () => {
    const csp = directives((await app.request('/docs')).headers.get('content-security-policy') ?? '');
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.deepEqual(csp.get('base-uri'), ["'none'"]);
    assert.deepEqual(csp.get('form-action'), ["'none'"]);
    assert.deepEqual(csp.get('connect-src'), ["'self'"]);
    const scripts = csp.get('script-src') ?? [];
    assert.ok(scripts.includes("'self'"));
    for (const source of scripts) assert.match(source, /^'self'$|^'sha256-[A-Za-z0-9+/]+=*'$/, `no ${source} in script-src`);
    for (const [name, values] of csp) {
      for (const v of values) assert.ok(!/\*|https?:|'unsafe-eval'/.test(v), `${name} ${v}`);
    }
  });

  it('still allows every script the page needs to render', async () => {
    const res = await app.request('/docs');
    const scripts = directives(res.headers.get('content-security-policy') ?? '').get('script-src') ?? [];
    const html = await res.text();
    const tags = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/gi)];
    assert.ok(tags.length >= 2, 'the bundle and the script that starts it');
    for (const [, attrs, body] of tags) {
      const src = /\bsrc="([^"]+)"/.exec(attrs!)?.[1];
      if (src) {
        assert.match(src, /^\/[^/]/, `${src} is same-origin`);
        assert.equal((await app.request(src)).status, 200, src);
      } else {
        const hash = `'sha256-${createHash('sha256').update(body!, 'utf8').digest('base64')}'`;
        assert.ok(scripts.includes(hash), `inline script allowed by its hash: ${body!.trim().slice(0, 60)}`);
      }
    }
  });
});
