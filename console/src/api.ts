// The console's API client: same origin, the HttpOnly session cookie goes by itself, the
// session's CSRF value goes in X-Veriframe-CSRF with every call. Errors keep the server's code,
// message and field so a page shows them next to what caused them.
import { errorTable } from '../../shared/errors.js';
import type { EnrollmentType, TokenAction, UserAction } from '../../shared/self-service.js';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** The field the server blamed, without its `body.`/`query.` prefix. */
    readonly field?: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let csrf = '';
export const setCsrf = (value: string) => (csrf = value);

/** Fired on window when the server says the session is over, so the shell shows the sign-in. */
export const SESSION_ENDED = 'vf-session-ended';

export async function request<T>(method: string, path: string, body?: unknown, init: { contentType?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (csrf) headers['x-veriframe-csrf'] = csrf;
  if (body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
  let res: Response;
  try {
    res = await fetch(path.startsWith('/') ? path : `/api/v1/${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError('network', 'The server could not be reached. Check the connection and try again.', 0);
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; field?: string; details?: unknown } } | undefined)?.error;
    const code = e?.code ?? 'http_' + res.status;
    const known = (errorTable as Record<string, { message: string } | undefined>)[code];
    const err = new ApiError(
      code,
      e?.message ?? known?.message ?? `The server answered ${res.status}.`,
      res.status,
      e?.field?.replace(/^(body|query|param)\./, ''),
      e?.details,
    );
    if (code === 'invalid_session') window.dispatchEvent(new CustomEvent(SESSION_ENDED));
    throw err;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body),
  del: <T = void>(path: string) => request<T>('DELETE', path),
};

export interface Page<T> {
  items: T[];
  total: number;
}

/** `?a=1&b=x` from the defined values only. */
export const query = (q: Record<string, string | number | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

export interface Admin {
  id: string;
  name: string;
  role: 'superuser' | 'admin';
  resourceIds: string[];
  login: string | null;
}

export interface Session {
  csrf: string;
  expiresAt: string;
  admin: Admin;
}

export interface Token {
  id: string;
  kind: 'hardware' | 'software' | 'universal';
  type: 'totp' | 'hotp' | 'ocra' | 'email' | 'sms' | 'bot';
  name: string;
  serialNumber: string | null;
  algorithm: string;
  digits: number;
  period: number;
  hasPin: boolean;
  pinPosition: 'before' | 'after';
  active: boolean;
  userId: string | null;
  failedAttempts: number;
  locked: boolean;
  bypass: { permanent: boolean; until: string | null };
  lastUsedAt: string | null;
  createdAt: string;
  otpauthUri?: string;
  qrSvg?: string;
}

export interface User {
  id: string;
  login: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  active: boolean;
  hasPassword: boolean;
}

export interface SelfService {
  enabled: boolean;
  address: string | null;
  allowedActions: { token: Record<TokenAction, boolean>; user: Record<UserAction, boolean> };
  enrollmentTypes: EnrollmentType[];
}

export interface Resource {
  id: string;
  name: string;
  active: boolean;
  allowedOrigins: string[];
  failedAttemptsLimit: number;
  authMethod: string;
  secret?: string;
  selfService: SelfService;
  enrollOnLogin: boolean;
  /** `PUBLIC_URL/self-service/{address}`; null while no address is set. */
  selfServiceUrl: string | null;
}

export interface EventItem {
  id: string;
  createdAt: string;
  type: string;
  actor: string | null;
  result: 'success' | 'failure' | null;
  reason: string | null;
  ip: string | null;
}
