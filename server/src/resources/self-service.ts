// Self-service portal and enrolment-during-login settings of a resource (DESIGN §12). They live in
// the resource's `settings` JSON column; the address also has a unique index (migration 0008) so
// that two resources can never share a portal.
import { z } from '@hono/zod-openapi';
import {
  addressPattern,
  enrollmentTypes,
  tokenActions,
  userActions,
  type EnrollmentType,
  type TokenAction,
  type UserAction,
} from '../../../shared/self-service.js';
import type { JsonObject } from '../db/types.js';

// One vocabulary for the server and the console (shared/).
export { addressPattern, enrollmentTypes, tokenActions, userActions, type EnrollmentType, type TokenAction, type UserAction };

export interface SelfService {
  enabled: boolean;
  address: string | null;
  allowedActions: { token: Record<TokenAction, boolean>; user: Record<UserAction, boolean> };
  enrollmentTypes: EnrollmentType[];
}

export interface PortalSettings {
  selfService: SelfService;
  enrollOnLogin: boolean;
}

const flags = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.boolean().optional()])) as Record<K, z.ZodOptional<z.ZodBoolean>>).strict();

/** PATCH/POST input: every field optional, merged into what is stored. */
export const selfServiceInput = z
  .object({
    enabled: z.boolean().optional(),
    address: z
      .string()
      .regex(addressPattern, '3-40 of a-z 0-9 -')
      .nullable()
      .optional()
      .openapi({ description: 'Unique portal address: the portal is served at `/self-service/{address}`.', example: 'shop' }),
    allowedActions: z
      .object({ token: flags(tokenActions).optional(), user: flags(userActions).optional() })
      .strict()
      .optional()
      .openapi({ description: 'What users may do in the portal; each action is enforced by the server.' }),
    enrollmentTypes: z
      .array(z.enum(enrollmentTypes))
      .max(enrollmentTypes.length)
      .refine((a) => new Set(a).size === a.length, 'no duplicates')
      .optional()
      .openapi({ description: 'Token types users may enrol (portal and enrolment during login).' }),
  })
  .strict()
  .openapi('SelfServiceSettings');
export type SelfServiceInput = z.infer<typeof selfServiceInput>;

const allFlags = <K extends string>(keys: readonly K[]) => z.object(Object.fromEntries(keys.map((k) => [k, z.boolean()])) as Record<K, z.ZodBoolean>);

export const selfServiceSchema = z
  .object({
    enabled: z.boolean(),
    address: z.string().nullable(),
    allowedActions: z.object({ token: allFlags(tokenActions), user: allFlags(userActions) }),
    enrollmentTypes: z.array(z.enum(enrollmentTypes)),
  })
  .openapi('SelfService');

/** What a resource's stored settings say, with everything missing off. */
export function portalSettingsOf(settings: JsonObject | null | undefined): PortalSettings {
  const stored = (settings?.selfService ?? {}) as Partial<{
    enabled: unknown;
    address: unknown;
    allowedActions: { token?: Record<string, unknown>; user?: Record<string, unknown> };
    enrollmentTypes: unknown;
  }>;
  const pick = <K extends string>(keys: readonly K[], from: Record<string, unknown> | undefined) =>
    Object.fromEntries(keys.map((k) => [k, from?.[k] === true])) as Record<K, boolean>;
  const types = Array.isArray(stored.enrollmentTypes) ? stored.enrollmentTypes : [];
  return {
    selfService: {
      enabled: stored.enabled === true,
      address: typeof stored.address === 'string' ? stored.address : null,
      allowedActions: { token: pick(tokenActions, stored.allowedActions?.token), user: pick(userActions, stored.allowedActions?.user) },
      enrollmentTypes: enrollmentTypes.filter((t) => types.includes(t)),
    },
    enrollOnLogin: settings?.enrollOnLogin === true,
  };
}

/** The stored settings with a partial input merged in (PATCH semantics, also for nested groups). */
export function mergePortalSettings(settings: JsonObject | null | undefined, input: { selfService?: SelfServiceInput; enrollOnLogin?: boolean }): JsonObject {
  const now = portalSettingsOf(settings);
  const s = input.selfService ?? {};
  const merged: PortalSettings = {
    selfService: {
      enabled: s.enabled ?? now.selfService.enabled,
      address: s.address !== undefined ? s.address : now.selfService.address,
      allowedActions: {
        token: { ...now.selfService.allowedActions.token, ...stripUndefined(s.allowedActions?.token) },
        user: { ...now.selfService.allowedActions.user, ...stripUndefined(s.allowedActions?.user) },
      },
      enrollmentTypes: s.enrollmentTypes ? enrollmentTypes.filter((t) => s.enrollmentTypes!.includes(t)) : now.selfService.enrollmentTypes,
    },
    enrollOnLogin: input.enrollOnLogin ?? now.enrollOnLogin,
  };
  return { ...(settings ?? {}), ...(merged as unknown as JsonObject) };
}

function stripUndefined<T extends Record<string, boolean | undefined>>(o: T | undefined): Partial<Record<keyof T, boolean>> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<Record<keyof T, boolean>>;
}

/** Where the portal of a resource is, when it has an address. */
export const selfServiceUrl = (publicUrl: string, address: string | null) => (address ? `${publicUrl}/self-service/${address}` : null);
