// Server-wide settings.
// Columns are camelCase here and snake_case in SQL (CamelCasePlugin); keep in step with ./migrations.
import type { DefaultTimestamp, Json, JsonValue } from './columns.js';

export interface SystemSettingsTable {
  key: string;
  value: Json<JsonValue>;
  updatedAt: DefaultTimestamp;
}
