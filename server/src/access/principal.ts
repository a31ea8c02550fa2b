import type { AdminRole } from '../db/types.js';

export type { AdminRole };

/** What an authenticated API key stands for. */
export interface Principal {
  adminId: string;
  role: AdminRole;
  keyId: string;
  /** Resources a resource administrator manages; empty for superusers, who manage everything. */
  resourceIds: string[];
  /** The administrator's name as the API key's check read it (not for console sessions). */
  adminName?: string;
}
