// Filters of a resource.
// Columns are camelCase here and snake_case in SQL (CamelCasePlugin); keep in step with ./migrations.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { DefaultTimestamp, Json, JsonObject } from './columns.js';

export type FilterType = 'ip' | 'country' | 'time' | 'userAgent';
export type FilterMode = 'allow' | 'deny';

/** Filter configuration; its shape depends on `type` and is validated by the filters domain. */
export type FilterConfig = JsonObject;

export interface FiltersTable {
  id: Generated<string>;
  resourceId: string;
  type: FilterType;
  /** null for 'time' filters, required otherwise. */
  mode: FilterMode | null;
  config: Json<FilterConfig>;
  enabled: Generated<boolean>;
  createdBy: string | null;
  createdAt: DefaultTimestamp;
  updatedAt: DefaultTimestamp;
}

export type FilterRow = Selectable<FiltersTable>;
export type NewFilter = Insertable<FiltersTable>;
export type FilterUpdate = Updateable<FiltersTable>;
