import { z } from 'zod';
import { widgetEnrollTypes } from '../../../shared/protocol.js';

// Request bodies of the iframe's API. Lengths are bounded so no field can make the server do
// unbounded work (a megabyte "password" would still go through argon2).

export const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** instance and nonce: the shape the postMessage protocol accepts (shared/protocol.ts isId). */
export const id = /^[A-Za-z0-9_-]{1,128}$/;

const resourceId = z.string().regex(uuid, 'must be a resource id');
const transaction = z.string().min(1).max(64);

export const startBody = z.object({
  resourceId,
  origin: z.string().min(1).max(2048),
  nonce: z.string().regex(id, 'must be 1-128 characters of A-Z a-z 0-9 _ -'),
  instance: z.string().regex(id, 'must be 1-128 characters of A-Z a-z 0-9 _ -'),
});

export const identifyBody = z.object({
  transaction,
  /** Optional: when sent, it must be the transaction's resource. */
  resourceId: resourceId.optional(),
  login: z.string().min(1).max(256),
  password: z.string().max(1024).optional(),
});

export const otpBody = z.object({
  transaction,
  resourceId: resourceId.optional(),
  // PIN and code together; spaces and dashes people paste ("123 456") are the client's to strip.
  otp: z.string().min(1).max(128),
});

export const enrollBody = z.object({
  transaction,
  resourceId: resourceId.optional(),
  type: z.enum(widgetEnrollTypes),
});

export const resendBody = z.object({
  transaction,
  resourceId: resourceId.optional(),
});
