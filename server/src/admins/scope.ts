import { appError } from '../errors.js';
import type { Principal } from './service.js';

// What an administrator may touch (DESIGN §3): a superuser everything; a resource administrator
// only its resources and what is assigned to them. Objects outside its reach answer 404, not
// 403, so ids of other tenants cannot be probed.

export const isSuperuser = (p: Principal) => p.role === 'superuser';

export function assertSuperuser(p: Principal, what = 'Only a superuser may do this.'): void {
  if (!isSuperuser(p)) throw appError('forbidden', { message: what });
}

export const canAccessResource = (p: Principal, resourceId: string) => isSuperuser(p) || p.resourceIds.includes(resourceId);

/** Users, tokens and filters may be deleted by a superuser or by the administrator who created them. */
export function assertMayDelete(p: Principal, createdBy: string | null, what: string): void {
  if (!isSuperuser(p) && createdBy !== p.adminId) {
    throw appError('forbidden', { message: `Only a superuser or the administrator who created this ${what} may delete it.` });
  }
}
