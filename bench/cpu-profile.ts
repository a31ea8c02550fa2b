// CPU profiles of the main thread for chosen stretches of a bench (the server's side of the load,
// without start-up, seeding or the other side's segments, which dominate `node --cpu-prof`).
// Summarise them with `node --import tsx bench/cpu-summary.ts <files…>`.
import fs from 'node:fs/promises';
import inspector from 'node:inspector/promises';
import path from 'node:path';

/** Starts the profiler; the returned function stops it and writes `dir/<label>.cpuprofile`. */
export async function cpuProfile(dir: string | undefined, label: string): Promise<() => Promise<void>> {
  if (!dir) return async () => {};
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, `${label}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}
