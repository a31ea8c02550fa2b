// The iframe's JSON API (/widget/api/*) in the OpenAPI document (DESIGN §14). The routes are
// plain Hono handlers (widget/routes.ts) that parse with the same schemas; this file only
// describes them, with the answer shapes of shared/protocol.ts.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { errorSchema } from '../http/openapi.js';
import * as s from './schema.js';

const otpStep = z
  .object({
    type: z.enum(['totp', 'hotp', 'email', 'sms', 'bot', 'ocra']),
    digits: z.number().int(),
    challenge: z.string().optional().openapi({ description: 'OCRA question to show.' }),
    resendAfter: z.number().int().optional().openapi({ description: 'Seconds until a code may be sent again.' }),
    pin: z.boolean().optional().openapi({ description: 'The token has a PIN, typed together with the code.' }),
  })
  .openapi('WidgetOtpStep');
const stepAnswer = z
  .union([
    z.object({ step: z.literal('otp'), otp: otpStep }),
    z.object({ step: z.literal('push'), push: z.object({ expiresAt: z.string().openapi({ format: 'date-time' }) }) }).openapi({
      description: "Waiting for the user's authenticator app (push token): ask POST /widget/api/push until the step changes.",
    }),
    z.object({ step: z.literal('done'), token: z.string().openapi({ description: 'The result JWT.' }) }),
  ])
  .openapi('WidgetStep');
const startAnswer = z.object({ transaction: z.string(), expiresAt: z.string().openapi({ format: 'date-time' }), password: z.boolean() }).openapi('WidgetStart');
const resendAnswer = z.object({ resendAfter: z.number().int() }).openapi('WidgetResend');

const error = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } });
const errors = {
  400: error('Malformed body (`malformed_json`, `invalid_request`).'),
  401: error('Wrong login, password or code (`wrong_credentials`, with `details.attemptsLeft`).'),
  403: error('Cross-site call, origin not allowed, or refused by a filter.'),
  404: error('The resource does not exist or is inactive (`resource_unavailable`).'),
  410: error('The sign-in transaction has expired (`transaction_expired`).'),
  413: error('Body larger than 16 KB.'),
  415: error('The body is not application/json.'),
  423: error('The token is locked (`account_locked`).'),
  429: error('Too many attempts (`throttled`); see Retry-After.'),
} as const;

const op = (path: string, summary: string, body: z.ZodType, answer: z.ZodType, description: string) => ({
  method: 'post' as const,
  path: `/widget/api/${path}`,
  tags: ['Widget'],
  summary,
  description: `${description} Called by the widget's iframe, same-origin and without cookies: the transaction id in the body is the only state.`,
  security: [],
  request: { body: { required: true, content: { 'application/json': { schema: body } } } },
  responses: { 200: { description: 'The next step.', content: { 'application/json': { schema: answer } } }, ...errors },
});

/** Adds the widget's JSON API to the app's OpenAPI registry. */
export function describeWidgetApi(app: Pick<OpenAPIHono, 'openAPIRegistry'>): void {
  const r = app.openAPIRegistry;
  r.registerPath(op('start', 'Start a sign-in transaction', s.startBody, startAnswer, 'Checks the resource and the embedding origin.'));
  r.registerPath(op('identify', 'Send the login (and password)', s.identifyBody, stepAnswer, 'Answers the OTP step, or the result token.'));
  r.registerPath(op('otp', 'Send the OTP (with PIN)', s.otpBody, stepAnswer, 'Answers the result token.'));
  r.registerPath(
    op(
      'push',
      "Ask whether the user's authenticator app answered",
      s.resendBody,
      stepAnswer,
      'Push tokens: `push` while the app has not answered (costs no attempt); the result token once approved; 403 `push_denied` when denied, 410 `push_challenge_expired` when nobody answered in time.',
    ),
  );
  r.registerPath(
    op(
      'enroll/push',
      'Ask whether the authenticator app added the push token being enrolled',
      s.resendBody,
      stepAnswer,
      'Enrolment during login of a push token: `push` until the app registered it (costs no attempt), then the result token (`amr` pwd, otp, enroll).',
    ),
  );
  r.registerPath({
    ...op('resend', 'Send the e-mail/SMS/bot code again', s.resendBody, resendAnswer, 'For tokens whose code is sent.'),
    responses: { 200: { description: 'When a code may be sent next.', content: { 'application/json': { schema: resendAnswer } } }, ...errors },
  });
}
