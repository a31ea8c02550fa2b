// Static imports instead of FileMigrationProvider so that bundled builds and tsx both find the
// migrations. Keys are the file names: Kysely applies them in key order, so the timestamp prefix
// is the order.
import type { Migration } from 'kysely';
import * as core from './20261128_0001_core.js';
import * as runtime from './20261128_0002_runtime.js';
import * as listPaging from './20261128_0003_list_paging.js';
import * as counterFastPath from './20261128_0004_counter_fast_path.js';
import * as hmacChain from './20261205_0005_hmac_chain.js';
import * as authGuards from './20261205_0006_auth_guards.js';
import * as consoleTables from './20261205_0007_console.js';
import * as selfService from './20261205_0008_self_service.js';
import * as consoleCsrfHash from './20261205_0009_console_csrf_hash.js';
import * as tokenConfirmations from './20261205_0010_token_confirmations.js';
import * as appBackups from './20261205_0011_app_backups.js';
import * as push from './20261205_0012_push.js';
import * as resourceChanges from './20261205_0013_resource_changes.js';
import * as portalCsrfHash from './20261205_0014_portal_csrf_hash.js';
import * as portalPush from './20261205_0015_portal_push.js';
import * as pushSubscriptions from './20261205_0016_push_subscriptions.js';
import * as dropUnsealedIndex from './20261205_0017_drop_unsealed_index.js';

export const migrations: Record<string, Migration> = {
  '20261128_0001_core': core,
  '20261128_0002_runtime': runtime,
  '20261128_0003_list_paging': listPaging,
  '20261128_0004_counter_fast_path': counterFastPath,
  '20261205_0005_hmac_chain': hmacChain,
  '20261205_0006_auth_guards': authGuards,
  '20261205_0007_console': consoleTables,
  '20261205_0008_self_service': selfService,
  '20261205_0009_console_csrf_hash': consoleCsrfHash,
  '20261205_0010_token_confirmations': tokenConfirmations,
  '20261205_0011_app_backups': appBackups,
  '20261205_0012_push': push,
  '20261205_0013_resource_changes': resourceChanges,
  '20261205_0014_portal_csrf_hash': portalCsrfHash,
  '20261205_0015_portal_push': portalPush,
  '20261205_0016_push_subscriptions': pushSubscriptions,
  '20261205_0017_drop_unsealed_index': dropUnsealedIndex,
};
