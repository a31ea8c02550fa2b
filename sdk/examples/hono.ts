// A site on Hono (Node, Deno, Bun, Workers: any fetch runtime) that checks the widget's result
// offline against Veriframe's JWKS, and uses the server-to-server API for a step-up check.
// Type-checked by `npm run lint`.
import { Hono } from 'hono';
import { createAuthClient, createVerifier, memoryJtiStore } from '@veriframe/sdk';

const VERIFRAME = 'https://mfa.example.com';
const resource = { id: '3f8e4c1a-0000-4000-8000-000000000001', secret: 'vfs_from_the_admin_console' };

// Offline: no call per login; keys are cached and fetched again for an unknown key id. A token is
// single use within this process (memoryJtiStore); several instances share a JtiStore instead.
const verifyResult = createVerifier({ baseUrl: VERIFRAME, resource: { id: resource.id }, jtiStore: memoryJtiStore() });
const auth = createAuthClient({ baseUrl: VERIFRAME, resource, timeoutMs: 5000 });

const app = new Hono();

app.post('/login', async (c) => {
  const form = await c.req.parseBody();
  const nonce = String(form.nonce ?? '');
  // (Check here that the nonce is one this site minted for this browser, and consume it.)
  const outcome = await verifyResult(String(form['veriframe-token'] ?? ''), { nonce });
  if (!outcome.valid) return c.text(`Sign-in refused (${outcome.reason})`, outcome.reason === 'request_failed' ? 503 : 403);
  return c.json({ user: outcome.claims.sub, login: outcome.claims.login, amr: outcome.claims.amr });
});

// Confirm a payment with the user's OCRA token: the challenge binds the exact data shown.
app.post('/payments/:id/challenge', async (c) => {
  const { login } = await c.req.json<{ login: string }>();
  const data = `pay order ${c.req.param('id')}`;
  const r = await auth.signTransaction({ login, data, ip: c.req.header('x-forwarded-for') });
  if (!r.ok) return c.json({ error: r.error.code }, 502);
  return r.data.result ? c.json({ challenge: r.data.challenge }) : c.json({ refused: r.data.reason }, 403);
});

app.post('/payments/:id/confirm', async (c) => {
  const { login, otp } = await c.req.json<{ login: string; otp: string }>();
  const r = await auth.verifySignedTransaction({ login, otp, data: `pay order ${c.req.param('id')}` });
  if (!r.ok) return c.json({ error: r.error.code, field: r.error.field }, r.error.status === 400 ? 400 : 502);
  return c.json({ confirmed: r.data.result, reason: r.data.reason, retryAfter: r.data.retryAfter });
});

export default app;
