/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by module, and the
 * inclusive time of functions whose name matches --match.
 *
 *   node --import tsx bench/tools/profile-summary.ts FILE.cpuprofile [--top 30] [--match execute,stringify] [--skip 12]
 *
 * --skip S leaves out the first S seconds of the profile (the server's start-up: module loading
 * under tsx, migrations, seeding), so the figures are of the steady state under load.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' }, match: { type: 'string' }, skip: { type: 'string' } } });
interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number; children?: number[] }
const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
if (values.skip) {
  // Recount each node's hits from the samples taken after the first S seconds.
  const skipMicros = Number(values.skip) * 1e6;
  for (const n of profile.nodes) n.hitCount = 0;
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= skipMicros) byId.get(id)!.hitCount += 1;
  });
}
const total = profile.nodes.reduce((s, n) => s + n.hitCount, 0);
const idle = profile.nodes.filter((n) => ['(idle)', '(program)'].includes(n.callFrame.functionName)).reduce((s, n) => s + n.hitCount, 0);
const busy = total - idle;
const pct = (n: number) => `${((n / busy) * 100).toFixed(1)}%`;

const moduleOf = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.includes('/src/')) return `src/${url.split('/src/')[1]}`;
  return url.startsWith('node:') ? url : url ? 'other' : '(native)';
};
const selfByFn = new Map<string, number>();
const selfByModule = new Map<string, number>();
for (const n of profile.nodes) {
  if (['(idle)', '(program)', '(root)'].includes(n.callFrame.functionName)) continue;
  const fn = `${n.callFrame.functionName || '(anonymous)'} ${moduleOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  selfByFn.set(fn, (selfByFn.get(fn) ?? 0) + n.hitCount);
  const mod = moduleOf(n.callFrame.url);
  selfByModule.set(mod, (selfByModule.get(mod) ?? 0) + n.hitCount);
}
const top = Number(values.top);
console.log(`samples: ${total}, busy: ${busy} (${((busy / total) * 100).toFixed(0)}% of the profile)`);
console.log('\nself time by module:');
for (const [k, v] of [...selfByModule].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(v).padStart(6)}  ${k}`);
console.log('\nself time by function:');
for (const [k, v] of [...selfByFn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(v).padStart(6)}  ${k}`);

if (values.match) {
  // Inclusive time: samples under any frame whose function name matches (counted once per sample path).
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  for (const name of values.match.split(',')) {
    let hits = 0;
    for (const n of profile.nodes) {
      if (n.hitCount === 0) continue;
      for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
        if (byId.get(id)!.callFrame.functionName === name) {
          hits += n.hitCount;
          break;
        }
      }
    }
    console.log(`inclusive ${name}: ${pct(hits)}`);
  }
}

// Which of our own functions the time of each heavy library is spent under (nearest src/ frame).
{
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  for (const lib of ['drizzle-orm', 'postgres', '@graphql-tools/executor', 'graphql-ws']) {
    const under = new Map<string, number>();
    for (const n of profile.nodes) {
      if (n.hitCount === 0) continue;
      let inLib = false;
      let owner = '(none)';
      for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
        const f = byId.get(id)!.callFrame;
        if (!inLib && moduleOf(f.url) === lib) inLib = true;
        if (inLib && f.url.includes('/src/')) {
          owner = `${f.functionName || '(anonymous)'} ${moduleOf(f.url)}`;
          break;
        }
      }
      if (inLib) under.set(owner, (under.get(owner) ?? 0) + n.hitCount);
    }
    console.log(`\n${lib} (inclusive) under:`);
    for (const [k, v] of [...under].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${pct(v).padStart(6)}  ${k}`);
  }
}
