import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { answerProof, streamProof, subscriptionProof } from '../../../shared/push.js';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';
import { errorSchema, jsonBody, jsonResponse } from '../http/openapi.js';
import { validationHook } from '../http/validation.js';
import { challengeView, decide, findPushChallenge, pendingChallenges } from '../tokens/push-challenges.js';
import { saveSubscription } from '../tokens/push-subscriptions.js';
import { authenticateDevice, findPushDevice, registerDevice, signatureValid, STREAM_PROOF_SKEW_MS } from '../tokens/push.js';
import * as s from './schema.js';
import { challengeStream } from './stream.js';
import { isP256Point, webPushFor } from './web-push.js';

// The authenticator app's push API (DESIGN §13), mounted at /app/api/push. No session, no
// cookie, no API key: every call is proven by the device itself — registration by the one-time
// enrolment secret signed with the new key, everything after by a signature of that key.

export interface PushRouteDeps {
  db: Db;
  now: () => Date;
}

const tags = ['Authenticator app (push)'];
const error = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } });
const bad = error('Malformed body or query (`malformed_json`, `invalid_request` with the field).');
const device = error('Unknown or unregistered device, wrong signature or a clock more than 5 minutes off (`push_device_invalid`).');

const routes = {
  register: createRoute({
    method: 'post',
    path: '/register',
    tags,
    summary: 'Register the device key of a push token with its one-time enrolment secret',
    request: { body: jsonBody(s.registerBody) },
    responses: {
      201: jsonResponse('Registered: the token now answers with this key.', s.registeredSchema),
      400: bad,
      403: error('Unknown serial or wrong secret (`push_enrolment_invalid`), or the signature does not match the key (`push_signature_invalid`).'),
      409: error('The enrolment secret was used already (`push_enrolment_used`).'),
      410: error('The enrolment secret has expired (`push_enrolment_expired`).'),
    },
  }),
  challenges: createRoute({
    method: 'get',
    path: '/challenges',
    tags,
    summary: "The device's pending sign-in requests",
    request: { query: s.deviceProofQuery },
    responses: { 200: jsonResponse('Pending challenges, oldest first.', s.challengeListSchema), 400: bad, 401: device },
  }),
  events: createRoute({
    method: 'get',
    path: '/events',
    tags,
    summary: "Server-sent events: the device's pending sign-in requests, sent again whenever they change",
    description:
      'EventSource cannot send headers, so the device proves itself in the query. Each `challenges` event carries `{"challenges": [PushChallenge]}`; the stream ends after a few minutes and the app reconnects with a fresh signature.',
    request: { query: s.deviceProofQuery },
    responses: {
      200: { description: '`text/event-stream` of `challenges` events.', content: { 'text/event-stream': { schema: { type: 'string' } } } },
      400: bad,
      401: device,
    },
  }),
  answer: createRoute({
    method: 'post',
    path: '/challenges/{id}/answer',
    tags,
    summary: 'Approve or deny a sign-in request, signed by the device key',
    request: { params: s.challengeParam, body: jsonBody(s.answerBody) },
    responses: {
      200: jsonResponse('The decision was recorded; the waiting sign-in moves on.', s.answeredSchema),
      400: bad,
      401: device,
      403: error('The signature does not match this device (`push_signature_invalid`).'),
      404: error('No such challenge for this device (`push_challenge_not_found`).'),
      409: error('Answered already (`push_challenge_answered`): an answer counts once.'),
      410: error('The challenge has expired (`push_challenge_expired`).'),
    },
  }),
  webPush: createRoute({
    method: 'get',
    path: '/web-push',
    tags,
    summary: "The server's VAPID public key, when Web Push is configured",
    description:
      'The app subscribes its service worker with this key and registers the subscription (`PUT /subscription`); with `publicKey` null it relies on the server-sent events alone.',
    responses: { 200: jsonResponse('The key, or null.', s.webPushSchema) },
  }),
  subscribe: createRoute({
    method: 'put',
    path: '/subscription',
    tags,
    summary: "Register the device's Web Push subscription, signed by the device key",
    description:
      "Replaces the token's previous subscription. When a challenge opens, the server sends an encrypted message (RFC 8291 aes128gcm, VAPID RFC 8292) naming the challenge and the resource to this endpoint; a push service answering 404 or 410 makes it forget the subscription.",
    request: { body: jsonBody(s.subscriptionBody) },
    responses: {
      200: jsonResponse('Registered.', s.subscribedSchema),
      400: error('Malformed body (`invalid_request`), or an endpoint on a push service this server does not send to (`push_service_not_allowed`).'),
      401: device,
      404: error('Web Push is not configured on this server (`web_push_not_configured`): the app keeps to server-sent events.'),
    },
  }),
};

export function pushRoutes(deps: PushRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  /** The device of a query proof: its signature over a fresh timestamp. */
  const proven = async (q: { serial: string; timestamp: string; signature: string }) => {
    const skew = Math.abs(Number(q.timestamp) - deps.now().getTime());
    if (!(skew <= STREAM_PROOF_SKEW_MS))
      throw appError('push_device_invalid', { message: "The device clock is more than 5 minutes off the server's; correct it and retry." });
    return authenticateDevice(deps.db, q.serial, streamProof(q.serial, Number(q.timestamp)), q.signature);
  };

  app.openapi(routes.register, async (c) => {
    const b = c.req.valid('json');
    const r = await registerDevice(deps.db, b, deps.now());
    return c.json({ serial: r.token.serialNumber ?? b.serial, registeredAt: r.device.registeredAt!.toISOString() }, 201);
  });

  app.openapi(routes.challenges, async (c) => {
    const { token } = await proven(c.req.valid('query'));
    const rows = await pendingChallenges(deps.db, token.id, deps.now());
    return c.json({ challenges: rows.map(challengeView) }, 200);
  });

  app.openapi(routes.events, async (c) => {
    const { token } = await proven(c.req.valid('query'));
    c.header('Cache-Control', 'no-store');
    return challengeStream(c, deps.db, token.id, deps.now) as never;
  });

  app.openapi(routes.webPush, (c) => c.json({ publicKey: webPushFor(deps.db)?.publicKey ?? null }, 200));

  app.openapi(routes.subscribe, async (c) => {
    const b = c.req.valid('json');
    const sender = webPushFor(deps.db);
    if (!sender) throw appError('web_push_not_configured');
    if (!sender.allows(b.endpoint)) throw appError('push_service_not_allowed', { field: 'body.endpoint' });
    const skew = Math.abs(Number(b.timestamp) - deps.now().getTime());
    if (!(skew <= STREAM_PROOF_SKEW_MS))
      throw appError('push_device_invalid', { message: "The device clock is more than 5 minutes off the server's; correct it and retry." });
    // The signature covers the endpoint and both keys: nobody can point another device's pushes elsewhere.
    const proof = subscriptionProof(b.serial, Number(b.timestamp), b.endpoint, b.p256dh, b.auth);
    const { token } = await authenticateDevice(deps.db, b.serial, proof, b.signature);
    const keys = { p256dh: Buffer.from(b.p256dh, 'base64url'), auth: Buffer.from(b.auth, 'base64url') };
    if (!isP256Point(keys.p256dh))
      throw appError('invalid_request', { message: 'body.p256dh: a P-256 public key (uncompressed, base64url) is required.', field: 'body.p256dh' });
    await saveSubscription(deps.db, token.id, { endpoint: b.endpoint, ...keys }, deps.now());
    return c.json({ serial: b.serial, subscribed: true as const }, 200);
  });

  app.openapi(routes.answer, async (c) => {
    const { id } = c.req.valid('param');
    const b = c.req.valid('json');
    const found = await findPushDevice(deps.db, b.serial);
    if (!found?.device.publicKey || !found.token.active) throw appError('push_device_invalid');
    const row = await findPushChallenge(deps.db, id);
    // Another device's challenge is as unknown as none: ids are not probed through this call.
    if (!row || row.tokenId !== found.token.id) throw appError('push_challenge_not_found');
    if (!signatureValid(found.device.publicKey, answerProof(id, b.decision), b.signature))
      throw appError('push_signature_invalid', { field: 'body.signature' });
    const decided = await decide(deps.db, row, b.decision, deps.now());
    return c.json({ id: decided.id, status: decided.status as 'approved' | 'denied' }, 200);
  });

  return app;
}
