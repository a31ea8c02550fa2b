import { randomUUID } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import type { NewToken } from '../db/types.js';
import { appError } from '../errors.js';
import { appendEvents } from '../events/repository.js';
import { base32Decode } from '../otp/index.js';
import * as repo from './repository.js';
import { algorithms } from './schema.js';
import { MIN_SECRET_BYTES, sealSecret } from './secrets.js';
import { assertQuota, type TokenContext } from './service.js';

export const importQuery = z.object({
  kind: z.enum(['hardware', 'universal']).default('hardware'),
  type: z.enum(['totp', 'hotp']).default('totp'),
  algorithm: z.enum(algorithms).default('SHA1'),
  digits: z.coerce
    .number()
    .pipe(z.union([z.literal(6), z.literal(8)]))
    .default(6),
  period: z.coerce
    .number()
    .pipe(z.union([z.literal(30), z.literal(60)]))
    .default(30),
  // Hardware vendors often ship seeds in hex.
  encoding: z.enum(['base32', 'hex']).default('base32').openapi({ description: 'How the secrets are written: base32 (A-Z, 2-7) or hex.' }),
});
export type ImportOptions = z.infer<typeof importQuery> & { headerRequired?: boolean };

export interface LineError {
  line: number;
  reason: string;
}

export interface ParsedLine {
  line: number;
  serialNumber: string;
  secret: Buffer;
}

const MAX_REPORTED_ERRORS = 1000;
const SERIAL = /^[A-Za-z0-9._\-/]{1,64}$/;

/** Splits one CSV line on commas, honouring double quotes ("a,b" and "" escapes). */
export function splitCsvLine(text: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') cells.push(cell), (cell = '');
    else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

/**
 * Validates every line before anything is written, so the administrator gets the whole list of
 * problems at once. Line numbers are those of the file (the header is line 1). Secrets never
 * appear in a reason.
 */
export function parseTokenCsv(
  text: string,
  opts: { encoding?: 'base32' | 'hex'; headerRequired?: boolean } = {},
): { lines: ParsedLine[]; errors: LineError[] } {
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const errors: LineError[] = [];
  const header = splitCsvLine(rows[0] ?? '').map((h) => h.toLowerCase());
  const hasHeader = header.length === 2 && header[0] === 'serialnumber' && header[1] === 'secret';
  // The header may be left out (vendor files often have none) unless the caller requires it.
  if (!hasHeader && opts.headerRequired !== false) {
    return { lines: [], errors: [{ line: 1, reason: 'the first line must be the header "serialNumber,secret"' }] };
  }
  const hex = opts.encoding === 'hex';
  const lines: ParsedLine[] = [];
  const seen = new Map<string, number>();
  rows.slice(hasHeader ? 1 : 0).forEach((raw, i) => {
    const line = i + (hasHeader ? 2 : 1);
    if (raw.trim() === '') return;
    const cells = splitCsvLine(raw);
    const fail = (reason: string) => errors.push({ line, reason });
    if (cells.length !== 2) return fail(`expected 2 columns (serialNumber,secret), found ${cells.length}`);
    const [serialNumber, secretText] = cells as [string, string];
    if (!SERIAL.test(serialNumber)) return fail('serial number must be 1-64 letters, digits or . _ - /');
    const first = seen.get(serialNumber);
    if (first !== undefined) return fail(`duplicate serial number ${serialNumber} (also on line ${first})`);
    seen.set(serialNumber, line);
    let secret: Buffer;
    if (hex) {
      if (!/^(?:[0-9a-fA-F]{2})+$/.test(secretText)) return fail('secret is not valid hex (pairs of 0-9, a-f)');
      secret = Buffer.from(secretText, 'hex');
    } else {
      try {
        secret = base32Decode(secretText);
      } catch {
        return fail('secret is not valid base32 (A-Z, 2-7)');
      }
    }
    if (secret.length < MIN_SECRET_BYTES) return fail(`secret has ${secret.length * 8} bits; at least 128 are required`);
    lines.push({ line, serialNumber, secret });
  });
  if (lines.length === 0 && errors.length === 0) errors.push({ line: hasHeader ? 2 : 1, reason: 'the file has no token lines' });
  return { lines, errors };
}

function rejectWith(errors: LineError[]): never {
  const shown = errors.slice(0, MAX_REPORTED_ERRORS);
  const more = errors.length > shown.length ? ` (first ${shown.length} shown)` : '';
  throw appError('import_invalid', {
    message: `${errors.length} line(s) are invalid${more}; nothing was imported.`,
    details: { lines: shown, total: errors.length },
  });
}

export interface ImportProgress {
  (phase: 'validated' | 'imported', done: number, total: number): void;
}

/** Imports all lines or none: one transaction, quota and serial uniqueness checked inside it. */
export async function importTokensCsv(ctx: TokenContext, text: string, options: ImportOptions, progress?: ImportProgress): Promise<{ imported: number }> {
  // Over HTTP (the console, scripts) the header is optional; the CLI keeps requiring it.
  const { lines, errors } = parseTokenCsv(text, { encoding: options.encoding, headerRequired: options.headerRequired ?? false });
  if (!lines.length) rejectWith(errors);
  return ctx.db.transaction().execute(async (trx) => {
    // Serials already taken are reported together with the file's own problems, in line order,
    // so the administrator fixes the file once instead of discovering a second list afterwards.
    const taken = await repo.existingSerials(
      trx,
      lines.map((l) => l.serialNumber),
    );
    const invalid = [
      ...errors,
      ...lines.filter((l) => taken.has(l.serialNumber)).map((l) => ({ line: l.line, reason: `serial number ${l.serialNumber} exists already` })),
    ];
    if (invalid.length) rejectWith(invalid.sort((a, b) => a.line - b.line));
    await assertQuota(trx, ctx.quota, lines.length);
    progress?.('validated', lines.length, lines.length);
    const batch = 500;
    for (let i = 0; i < lines.length; i += batch) {
      const rows: NewToken[] = lines.slice(i, i + batch).map((l) => {
        const id = randomUUID();
        return {
          id,
          kind: options.kind,
          type: options.type,
          name: l.serialNumber,
          serialNumber: l.serialNumber,
          algorithm: options.algorithm,
          digits: options.digits,
          period: options.period,
          secretEnc: sealSecret(ctx.keyRing, id, l.secret),
          createdBy: ctx.principal.adminId,
        };
      });
      await repo.insertTokens(trx, rows);
      await appendEvents(
        trx,
        rows.map((r) => ({
          type: 'token.imported',
          actor: `admin:${ctx.principal.adminId}`,
          actorAdminId: ctx.principal.adminId,
          tokenId: r.id!,
          ip: ctx.ip ?? null,
          details: { serialNumber: r.serialNumber, kind: r.kind, type: r.type },
        })),
      );
      progress?.('imported', Math.min(i + batch, lines.length), lines.length);
    }
    return { imported: lines.length };
  });
}
