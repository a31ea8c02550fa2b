// Queries built and compiled once, run many times (DESIGN §9).
//
// Building a Kysely query (an immutable tree of frozen nodes), running the CamelCase plugin over
// it and compiling it to SQL costs far more than sending it: measured on the authentication hot
// path, ~0.5 ms of the event loop per request for three queries, more than everything else the
// request does there. A precompiled query is built once with a marker in place of each
// parameter; running it copies the compiled parameters with the markers replaced by the values.
// The SQL text is the same every time, which is also what lets PostgreSQL reuse the prepared
// statement (see prepared.ts).
//
// The builder must not look at the values (they are markers while it runs) and must pass each
// one unchanged as a query value: a marker that ends up inside another value (`${p.x}%`) or not
// at all is an error when the query is first compiled. Every Db of this application compiles
// alike (PostgreSQL syntax, the same plugins: createPlugins), so one compilation serves them all,
// transactions included; results go through the plugins of the Db that runs the query.
import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { Db } from './index.js';

const MARK = '\u0000vf-param\u0000';

export type Precompiled<P, R> = (db: Db, values: P) => Promise<QueryResult<R>>;

/** `build` gets a stand-in for the values whose every property is that parameter's marker. */
export function precompiled<P extends Record<string, unknown>, R>(build: (db: Db, p: P) => Compilable<R>): Precompiled<P, R> {
  let compiled: { query: CompiledQuery<R>; slots: (string | undefined)[] } | undefined;
  return async (db, values) => {
    compiled ??= compile(db, build);
    const { query, slots } = compiled;
    const parameters = query.parameters.map((value, i) => {
      const name = slots[i];
      return name === undefined ? value : values[name];
    });
    return db.executeQuery<R>({ ...query, parameters });
  };
}

function compile<P extends Record<string, unknown>, R>(db: Db, build: (db: Db, p: P) => Compilable<R>) {
  const used = new Set<string>();
  const markers = new Proxy({} as P, {
    get: (_target, key) => {
      if (typeof key !== 'string') return undefined;
      used.add(key);
      return `${MARK}${key}`;
    },
  });
  const query = build(db, markers).compile();
  const slots = query.parameters.map((value) => {
    if (typeof value !== 'string' || !value.includes(MARK)) return undefined;
    const name = value.startsWith(MARK) ? value.slice(MARK.length) : '';
    if (!used.has(name)) throw new Error(`precompiled query: a parameter was changed by the builder (${JSON.stringify(value)})`);
    return name;
  });
  for (const name of used) {
    if (!slots.includes(name)) throw new Error(`precompiled query: parameter ${name} is not passed as a query value`);
  }
  return { query, slots };
}
