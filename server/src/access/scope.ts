import { appError } from '../errors.js';
import type { Principal } from './principal.js';

// The tenant scope of an administrator (DESIGN §3, §10), written once: a superuser reaches
// everything; a resource administrator its resources, what is assigned to them and what it
// created. Reads outside the scope answer 404 as for an id that does not exist, so other tenants'
// ids cannot be probed; writes to an object the caller sees but shares with a resource outside
// its scope answer 403 (see writes.ts).

/** Whose objects a query may return: everything, or one resource administrator's. */
export type Scope = { all: true } | { all: false; adminId: string; resourceIds: string[] };

export const isSuperuser = (p: Pick<Principal, 'role'>) => p.role === 'superuser';

export const scopeOf = (p: Principal): Scope => (isSuperuser(p) ? { all: true } : { all: false, adminId: p.adminId, resourceIds: p.resourceIds });

export const canAccessResource = (p: Principal, resourceId: string) => isSuperuser(p) || p.resourceIds.includes(resourceId);

export function assertSuperuser(p: Principal, what = 'Only a superuser may do this.'): void {
  if (!isSuperuser(p)) throw appError('forbidden', { message: what });
}

/**
 * Users, tokens and filters may be deleted by a superuser or by the administrator who created
 * them; filters may be changed on the same terms (a filter its creator relies on must not be
 * disabled or widened by a colleague who could not delete it).
 */
export function assertCreatorOrSuperuser(p: Principal, createdBy: string | null, what: string, action: 'delete' | 'change'): void {
  if (!isSuperuser(p) && createdBy !== p.adminId) {
    throw appError('forbidden', { message: `Only a superuser or the administrator who created this ${what} may ${action} it.` });
  }
}
