import { html, nothing } from 'lit';
import { ApiError } from './api.js';

/** The error of a failed call, for the place that caused it; `field` errors go next to their input. */
export interface Failure {
  message: string;
  field?: string;
  details?: unknown;
}

export const failure = (err: unknown): Failure =>
  err instanceof ApiError ? { message: err.message, ...(err.field ? { field: err.field } : {}), details: err.details } : { message: (err as Error).message };

/** The message under an input when the server blamed that field. */
export const fieldError = (f: Failure | undefined, field: string, id: string) =>
  f?.field === field ? html`<p class="error" id=${id} role="alert">${f.message}</p>` : nothing;

/** The message of a failure that names no field shown in the form (or any failure when `all`). */
export const formError = (f: Failure | undefined, shownFields: string[] = []) =>
  f && (!f.field || !shownFields.includes(f.field)) ? html`<p class="error" role="alert">${f.message}</p>` : nothing;

export const svgDataUri = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
