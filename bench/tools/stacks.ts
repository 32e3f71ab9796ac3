import { readFileSync } from 'node:fs';
const profile = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
const byId = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const lib = process.argv[3]!;
const stacks = new Map<string, number>();
for (const n of profile.nodes) {
  if (!n.hitCount) continue;
  const frames: string[] = [];
  let hit = false;
  for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
    const f = byId.get(id).callFrame;
    if (f.url.includes(lib)) hit = true;
    frames.push(`${f.functionName || '?'}@${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`);
  }
  if (!hit) continue;
  const key = frames.reverse().slice(1, 12).join(' > ');
  stacks.set(key, (stacks.get(key) ?? 0) + n.hitCount);
}
for (const [k, v] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(v, k, '\n');
