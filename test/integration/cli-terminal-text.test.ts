/**
 * Customer data printed to a terminal cannot drive it: an escape sequence in a name or a value
 * (colours, "clear screen", a window-title OSC) is shown as visible text by every command, while
 * --json keeps the data itself, JSON-escaped.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { terminalText } from '../../src/cli/terminal-text.ts';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/temp.ts';

const HOSTILE = '\u001b[31mRED\u001b[0m\u001b]0;pwned\u0007\u009b2J';
// Any C0 or C1 control character but the newline, and DEL.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('terminal output', () => {
  it('shows control characters as visible escapes and keeps newlines', () => {
    expect(terminalText('a\u001b[2Jb\nc\u0007\r\t\u0085')).toBe('a\\u001b[2Jb\nc\\u0007\\r\\t\\u0085');
    expect(terminalText('Acme, Inc. — ✓')).toBe('Acme, Inc. — ✓');
  });

  it('never passes a control character from imported data to the terminal, in any command', () => {
    const dir = tempDir();
    const db = join(dir, 'f.db');
    const file = join(dir, 'esc.csv');
    writeFileSync(file, `account_id,name,arr\nE1,${HOSTILE},100\nE2,ok,${HOSTILE}\n`);
    const runs = {
      import: runCli(['import', file, '--db', db]),
      accounts: runCli(['accounts', '--db', db]),
      quarantine: runCli(['quarantine', '--db', db]),
      risks: runCli(['risks', '--all', '--db', db]),
      account: runCli(['account', 'E1', '--db', db]),
      hostileFile: runCli(['import', join(dir, `x${HOSTILE}.csv`), '--db', db]),
    };
    for (const [name, run] of Object.entries(runs)) {
      expect(`${name}: ${run.stdout}${run.stderr}`).not.toMatch(CONTROL);
      // risks --all lists ids only; the others quote the hostile text.
      if (name !== 'risks') expect(`${name}: ${run.stdout}${run.stderr}`).toContain('\\u001b[31mRED');
    }
    const json = runCli(['accounts', '--db', db, '--json']).json<unknown>();
    expect(JSON.stringify(json)).toContain(JSON.stringify(HOSTILE).slice(1, -1));
  });
});
