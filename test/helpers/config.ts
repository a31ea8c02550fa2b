import assert from 'node:assert/strict';
import { isConfigError, loadConfig } from '../../server/src/config.js';

/** The message of the configuration error `env` is refused with (fails the test if it is taken). */
export function configFailure(env: Record<string, string>): string {
  try {
    loadConfig(env, '/srv/app');
  } catch (err) {
    assert.ok(isConfigError(err), 'a configuration problem is a ConfigError');
    return (err as Error).message;
  }
  assert.fail(`expected ${JSON.stringify(env)} to be refused`);
}
