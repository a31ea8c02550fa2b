import fs from 'node:fs/promises';
import path from 'node:path';

// What the API shows only once and the demo needs at every start: the resource's verification
// secret and the otpauth URIs of the software tokens (to show QR codes and live codes). Kept
// beside the database, private to its owner, like the demo admin key.

export interface DemoState {
  resource?: { id: string; secret: string };
  /** otpauth URIs of software TOTP tokens, by token id. */
  enrolments?: Record<string, string>;
}

export const STATE_FILE = 'demo-state.json';
export const stateFileIn = (dataDir: string) => path.join(dataDir, STATE_FILE);

/** The saved state, or an empty one when the file is missing or unreadable (seeding recovers). */
export async function readState(file: string | undefined): Promise<DemoState> {
  if (!file) return {};
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as DemoState) : {};
  } catch {
    return {};
  }
}

export async function writeState(file: string | undefined, state: DemoState): Promise<void> {
  if (!file) return;
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written aside and renamed, so a crash never leaves half a file; chmod for a file that existed.
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  await fs.chmod(tmp, 0o600);
  await fs.rename(tmp, file);
}
