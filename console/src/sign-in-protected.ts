import { api, type Admin, type Page } from './api.js';

/**
 * Users that are other administrators' console logins. The server refuses any change to them
 * (403 sign_in_protected; `veriframe admin reset-access` is the way), so pages offer none. Only
 * superusers list administrators; a resource administrator's scope never holds these users.
 */
export async function othersSignInUsers(me: Admin | undefined): Promise<Set<string>> {
  if (me?.role !== 'superuser') return new Set();
  const page = await api.get<Page<{ id: string; consoleUserId: string | null }>>('admins?limit=500');
  return new Set(page.items.filter((a) => a.id !== me.id && a.consoleUserId).map((a) => a.consoleUserId!));
}
