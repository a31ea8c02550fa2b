/**
 * Numbers the loads of one view. Answers can arrive out of order (a page's first, unfiltered
 * load answering after the search typed right after it), and an older answer must not replace
 * what a later load asked for: `const current = loads(); …await…; if (!current()) return;`.
 */
export function latestOnly(): () => () => boolean {
  let started = 0;
  return () => {
    const mine = ++started;
    return () => mine === started;
  };
}
