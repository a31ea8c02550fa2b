import type { Db } from '../server/src/db/index.js';

// Every statement of a request timed from the executor's call to its result, for the profile
// scripts (profile-otp.ts, profile-widget.ts, profile-admin.ts).

export type Timings = Map<string, number[]>;

/** A statement's label: its verb and first table, which is enough to tell this path's apart. */
export function labelOf(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  const verb = /^(with|select|insert|update|delete)/i.exec(t)?.[1]?.toLowerCase() ?? t.slice(0, 12);
  const table = /(?:from|into|update) "?([a-z_]+)"?/i.exec(t)?.[1] ?? '?';
  const also = ['auth_throttle', 'events', 'resource_user_tokens', 'signing_keys', 'rate_windows'].filter((n) => n !== table && t.includes(`"${n}"`)).join('+');
  return `${verb} ${table}${also ? ` (+${also})` : ''}`;
}

/** Times every statement the Db's executor runs into `timings.current`, labelled by `label`. */
export function timeStatements(db: Db, timings: { current?: Timings }, label: (sql: string) => string = labelOf) {
  const executor = db.getExecutor() as unknown as { executeQuery: (...a: unknown[]) => Promise<unknown> };
  const run = executor.executeQuery.bind(executor);
  executor.executeQuery = async (...args: unknown[]) => {
    const started = performance.now();
    try {
      return await run(...args);
    } finally {
      const name = label((args[0] as { sql: string }).sql);
      const list = timings.current?.get(name) ?? [];
      timings.current?.set(name, list);
      list.push(performance.now() - started);
    }
  };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
