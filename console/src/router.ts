// Paths under /console/ and the page element each one loads lazily (one chunk per page).
export interface Route {
  /** The custom element of the page. */
  tag: string;
  load: () => Promise<unknown>;
  params: Record<string, string>;
}

const pages: { pattern: RegExp; tag: string; load: () => Promise<unknown>; keys: string[] }[] = [
  { pattern: /^$/, tag: 'vf-page-dashboard', load: () => import('./pages/vf-page-dashboard.js'), keys: [] },
  { pattern: /^tokens$/, tag: 'vf-page-tokens', load: () => import('./pages/vf-page-tokens.js'), keys: [] },
  { pattern: /^tokens\/([0-9a-f-]{36})$/, tag: 'vf-page-token', load: () => import('./pages/vf-page-token.js'), keys: ['id'] },
  { pattern: /^users$/, tag: 'vf-page-users', load: () => import('./pages/vf-page-users.js'), keys: [] },
  { pattern: /^users\/([0-9a-f-]{36})$/, tag: 'vf-page-user', load: () => import('./pages/vf-page-user.js'), keys: ['id'] },
  { pattern: /^resources$/, tag: 'vf-page-resources', load: () => import('./pages/vf-page-resources.js'), keys: [] },
  { pattern: /^filters$/, tag: 'vf-page-filters', load: () => import('./pages/vf-page-filters.js'), keys: [] },
  { pattern: /^events$/, tag: 'vf-page-events', load: () => import('./pages/vf-page-events.js'), keys: [] },
  { pattern: /^admins$/, tag: 'vf-page-admins', load: () => import('./pages/vf-page-admins.js'), keys: [] },
];

export const BASE = '/console/';

export function resolve(pathname: string): Route | undefined {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length).replace(/\/$/, '') : '';
  for (const p of pages) {
    const m = p.pattern.exec(rest);
    if (m) return { tag: p.tag, load: p.load, params: Object.fromEntries(p.keys.map((k, i) => [k, m[i + 1]!])) };
  }
  return undefined;
}
