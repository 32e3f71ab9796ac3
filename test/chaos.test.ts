import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { usingPostgres } from './helpers/database.js';

const root = fileURLToPath(new URL('..', import.meta.url));

// The fault suite's bounded run (`npm run chaos -- --quick`: 3 seconds of load per scenario). It
// starts its own server processes, a private PostgreSQL cluster and a private Redis, so it runs once
// per CI run: in the PostgreSQL pass (DATABASE_URL set), where PostgreSQL's programs are installed.
describe.runIf(usingPostgres)('fault suite, bounded (npm run chaos -- --quick; PostgreSQL runs only)', () => {
  it('kill -9, PostgreSQL crash, Redis crash: nothing acknowledged lost or doubled; subscribers resume exactly', { timeout: 600_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/chaos.ts', '--quick'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    // The counts, for the CI log.
    console.log(out);
    expect(code).toBe(0);
    expect(out).toContain('chaos: passed');
    // Each scenario ran (none skipped for a missing program) and reported its counts.
    const results = [...out.matchAll(/^ {2}(\{"scenario".*\})$/gm)].map((m) => JSON.parse(m[1]!));
    expect(results.map((r) => r.scenario)).toEqual(['kill -9 and restart (PGlite)', 'PostgreSQL crash and restart', 'Redis crash and restart, two processes']);
    for (const r of results) {
      expect(r.acknowledged).toBeGreaterThan(0);
      expect([r.lost, r.duplicates]).toEqual([0, 0]);
    }
    const killed = results[0];
    expect(killed.resumes).toBe(killed.subscribers);
    expect(killed.delivery).toMatchObject({ lost: 0, duplicated: 0, outOfOrder: 0, unexpected: 0, exact: true });
    expect(killed.delivery.delivered).toBe(killed.stored * killed.subscribers);
    expect(results[1].readyzWhileDown).toBe(503);
  });
});
