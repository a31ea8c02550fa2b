// A site on Express that signs its users in with the Veriframe widget and checks the result on
// its server with @veriframe/sdk. Type-checked by `npm run lint`; run it with Express installed.
import { randomBytes } from 'node:crypto';
import express from 'express';
import { createVerifier } from '@veriframe/sdk';

const VERIFRAME = process.env.VERIFRAME_URL ?? 'https://mfa.example.com';
const resource = { id: process.env.VERIFRAME_RESOURCE_ID ?? '', secret: process.env.VERIFRAME_RESOURCE_SECRET ?? '' };

// Online: POST /api/v1/verify, single use across every instance of the site.
const verifyResult = createVerifier({ baseUrl: VERIFRAME, resource, timeoutMs: 5000 });
// One nonce per login page view; a real site keeps it in its session store.
const nonces = new Set<string>();

const app = express();
app.use(express.urlencoded({ extended: false, limit: '16kb' }));

app.get('/login', (_req, res) => {
  const nonce = randomBytes(16).toString('base64url');
  nonces.add(nonce);
  res.type('html').send(`<script src="${VERIFRAME}/embed.js" async defer></script>
<form action="/login" method="post">
  <input type="hidden" name="nonce" value="${nonce}">
  <div class="veriframe" data-resource="${resource.id}" data-nonce="${nonce}"></div>
  <button>Sign in</button>
</form>`);
});

app.post('/login', async (req, res) => {
  const body = req.body as Record<string, unknown>;
  const token = typeof body['veriframe-token'] === 'string' ? body['veriframe-token'] : '';
  const nonce = typeof body.nonce === 'string' ? body.nonce : '';
  if (!nonces.delete(nonce)) {
    res.status(400).send('This form is stale; reload the page.');
    return;
  }
  const outcome = await verifyResult(token, { nonce });
  if (!outcome.valid) {
    // `request_failed`: Veriframe could not be asked; any other reason: the token is not good.
    res.status(outcome.reason === 'request_failed' ? 503 : 403).send(`Sign-in refused (${outcome.reason}).`);
    return;
  }
  // outcome.claims: { sub, login, amr, origin, iss, aud }: start the site's own session here.
  res.send(`Welcome, ${outcome.claims.login}.`);
});

app.listen(3000);
