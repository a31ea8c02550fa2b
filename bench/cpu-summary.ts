// Sums CPU profiles (bench/cpu-profile.ts, `node --cpu-prof`) and prints where the time went: by
// package or source folder, then by function (self time, in % of all samples, idle included).
//   node --import tsx bench/cpu-summary.ts .tmp/prof/*.cpuprofile [functions to list, default 40]
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface Profile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const limit = /^\d+$/.test(args.at(-1) ?? '') ? Number(args.pop()) : 40;
const groups = new Map<string, number>();
const functions = new Map<string, number>();
let total = 0;
const add = (m: Map<string, number>, k: string, t: number) => m.set(k, (m.get(k) ?? 0) + t);

/** node_modules package, our top folder (server/src/auth…), a node: module, or the native side. */
function groupOf(url: string): string {
  if (!url) return '(native, idle, GC)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return url;
  const ours = /\/((?:server|shared|bench)\/(?:src\/)?[\w-]+)/.exec(url);
  return ours ? ours[1]! : url.slice(-50);
}

for (const file of args) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  profile.samples.forEach((id, i) => {
    const t = profile.timeDeltas[i] ?? 0;
    const f = frames.get(id)!;
    total += t;
    add(groups, groupOf(f.url), t);
    add(functions, `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`, t);
  });
}
const table = (m: Map<string, number>, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, t]) => `${((100 * t) / total).toFixed(1).padStart(5)} %  ${k}`)
    .join('\n');
console.log(
  `${args.length} profiles, ${(total / 1e6).toFixed(1)} s\n\nBy package or folder\n${table(groups, 30)}\n\nBy function (self time)\n${table(functions, limit)}`,
);
