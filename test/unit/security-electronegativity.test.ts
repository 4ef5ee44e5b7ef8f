import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.ts';

const root = join(import.meta.dirname, '..', '..');
const script = join(root, 'scripts', 'electronegativity.mjs');

function scan(fixtureRoot: string, justifications: object) {
  const file = join(fixtureRoot, 'justifications.json');
  writeFileSync(file, JSON.stringify(justifications));
  return spawnSync(process.execPath, [script, '--root', fixtureRoot, '--justifications', file], {
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('Electronegativity gate (npm test step)', () => {
  it('fails on an unjustified high or medium finding, and passes once it is justified', () => {
    const fixture = tempDir();
    mkdirSync(join(fixture, 'src', 'main'), { recursive: true });
    writeFileSync(
      join(fixture, 'src', 'main', 'window.ts'),
      "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n",
    );
    const failing = scan(fixture, { excludedChecks: [], justified: [] });
    expect(failing.status).toBe(1);
    expect(failing.stderr).toMatch(/HIGH CONTEXT_ISOLATION_JS_CHECK at src\/main\/window\.ts:2/);
    expect(failing.stderr).toMatch(/MEDIUM SANDBOX_JS_CHECK at src\/main\/window\.ts:2/);

    const ids = [...failing.stderr.matchAll(/✗ (?:HIGH|MEDIUM) (\S+) at (\S+):/g)].map(([, id, at]) => ({
      id,
      file: at,
      reason: 'fixture',
    }));
    const passing = scan(fixture, { excludedChecks: [], justified: ids });
    expect(passing.stderr).toBe('');
    expect(passing.status).toBe(0);
  });

  it("every justification in the repository's file gives a reason", () => {
    const config = JSON.parse(
      readFileSync(join(root, 'security', 'electronegativity-justifications.json'), 'utf8'),
    ) as {
      excludedChecks: { check: string; reason: string }[];
      justified: { id: string; file: string; reason: string }[];
    };
    for (const entry of [...config.excludedChecks, ...config.justified])
      expect(entry.reason.length, JSON.stringify(entry)).toBeGreaterThan(40);
  });
});
