// LIKE patterns for search boxes, with the user's `%` and `_` taken literally (escaped with `\`,
// PostgreSQL's default escape character). SQL-level helpers, shared by every repository.

/** "Contains", case-insensitive: compare with `lower(column)`. */
export const likePattern = (text: string) => `%${escapeLike(text.toLowerCase())}%`;

/** "Starts with", case-insensitive: what a `lower(column) text_pattern_ops` index can answer. */
export const prefixPattern = (text: string) => `${escapeLike(text.toLowerCase())}%`;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (m) => `\\${m}`);
