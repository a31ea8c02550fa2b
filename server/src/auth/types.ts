import type { KeyRing } from '../crypto/secretbox.js';
import type { Db } from '../db/index.js';
import type { ResourceRow, TokenRow, UserRow } from '../db/types.js';
import type { Delivery } from '../delivery/types.js';
import type { FilterRowLike } from '../filters/evaluate.js';
import type { Logger } from '../logger.js';

export interface AuthDeps {
  db: Db;
  keyRing: KeyRing;
  log: Logger;
  now: () => Date;
  delivery?: Delivery;
}

export type AuthMethodName = 'token' | 'password' | 'user-token' | 'user-password-token';

/** Precise reasons, for the site's backend only; end users see one generic message. */
export type AuthReason =
  | 'invalid_credentials'
  | 'locked'
  | 'filtered'
  | 'inactive_user'
  | 'inactive_token'
  | 'inactive_resource'
  | 'not_assigned'
  | 'throttled'
  | 'expired_challenge'
  | 'not_supported'
  | 'no_destination'
  | 'delivery_failed'
  | 'otp_required'
  | 'push_pending'
  | 'push_denied';

export type Amr = 'pwd' | 'otp' | 'bypass' | 'enroll';

export interface AuthOutcome {
  result: boolean;
  reason?: AuthReason;
  retryAfter?: number;
  amr?: Amr[];
  userId?: string;
  tokenId?: string;
  challenge?: string;
  /** A push challenge opened for the user's app (prepare, sign-transaction): its id and expiry. */
  push?: { challenge: string; expiresAt: string };
  /** The filter that refused the attempt (for the event; never sent to clients). */
  filter?: { id: string; type: string };
  /** The attempt's event is written already (together with the token's update). */
  recorded?: boolean;
  /** A right code used before: refused like a wrong one, but it proves no guessing. */
  replayed?: boolean;
}

/** A resource and its enabled filters: what every attempt reads first. */
export interface LoadedResource {
  resource: ResourceRow;
  filters: FilterRowLike[];
}

export interface AuthContext {
  resourceId: string;
  ip: string | null;
  userAgent: string | null;
  /** Who is asking: 'api' (server-to-server), 'widget' or 'portal' (self-service sign-in). */
  channel: 'api' | 'widget' | 'portal';
  /** The resource as this request read it already (HTTP Basic check), so begin need not read it again. */
  loaded?: LoadedResource;
}

export interface AuthRequest {
  method: AuthMethodName;
  login?: string;
  password?: string;
  otp?: string;
  tokenId?: string;
}

/** Who an attempt is about, as identify found them. */
export type Identified = { user?: UserRow; token?: TokenRow };
