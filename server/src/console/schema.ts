import { z } from '@hono/zod-openapi';

export const signInInfo = z
  .object({
    resourceId: z.uuid().openapi({ description: 'The built-in "Veriframe console" resource the widget signs in to.' }),
    nonce: z.string().openapi({ description: 'Minted for this view of the sign-in page; single use, 10 minutes.' }),
  })
  .openapi('ConsoleSignIn');

export const sessionBody = z
  .object({
    token: z.string().min(1).max(8192).openapi({ description: 'The result JWT the widget handed to the sign-in page.' }),
    nonce: z.string().min(1).max(200).openapi({ description: 'The nonce from GET /console/api/sign-in.' }),
  })
  .strict()
  .openapi('ConsoleSessionRequest');

export const sessionView = z
  .object({
    csrf: z.string().openapi({ description: 'Send it as `X-Veriframe-CSRF` with every /api/v1 call made with the session cookie.' }),
    expiresAt: z.string().openapi({ description: 'The absolute end of the session (12 h after sign-in); 15 idle minutes end it sooner.' }),
    admin: z.object({
      id: z.uuid(),
      name: z.string(),
      role: z.enum(['superuser', 'admin']),
      resourceIds: z.array(z.uuid()),
      login: z.string().nullable(),
    }),
  })
  .openapi('ConsoleSession');

export const enrolStartBody = z
  .object({ code: z.string().min(1).max(100) })
  .strict()
  .openapi('ConsoleEnrolStart');
export const enrolStartView = z
  .object({
    login: z.string(),
    otpauthUri: z.string().openapi({ description: 'Shown once: scan it with an authenticator app.' }),
    qrSvg: z.string(),
    secret: z.string().openapi({ description: 'The same secret in base32, for typing in by hand.' }),
  })
  .openapi('ConsoleEnrolment');
export const enrolFinishBody = z
  .object({
    code: z.string().min(1).max(100),
    password: z.string().min(12).max(256).openapi({ description: 'The console password: 12 to 256 characters.' }),
    otp: z
      .string()
      .regex(/^[0-9]{6,8}$/)
      .openapi({ description: 'A current code of the authenticator just enrolled.' }),
  })
  .strict()
  .openapi('ConsoleEnrolFinish');
