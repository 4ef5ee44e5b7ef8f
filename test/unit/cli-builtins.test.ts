// The CLI bundle reads Node's built-ins through process.getBuiltinModule (scripts/cli-builtins.ts):
// every form rolldown writes becomes constants bound to the same values the import gave.
import { describe, expect, it } from 'vitest';
import { builtinsFromProcess } from '../../scripts/cli-builtins.ts';

describe('builtinsFromProcess', () => {
  it('rewrites default, named, renamed and mixed imports of node: modules', () => {
    const code = [
      'import fs from "node:fs";',
      'import { dirname, join as joinPath } from "node:path";',
      'import os, { userInfo } from "node:os";',
      'import process from "node:process";',
      'import { setFlagsFromString } from "node:v8";',
      'import { pipeline } from "node:stream/promises";',
      'const kept = 1;',
    ].join('\n');
    const out = builtinsFromProcess(code);
    expect(out).not.toMatch(/^import /m);
    expect(out).toContain('const kept = 1;');
    const [fs, dirname, joinPath, os, userInfo, proc, setFlags, pipeline] = new Function(
      `${out}\nreturn [fs, dirname, joinPath, os, userInfo, process, setFlagsFromString, pipeline];`,
    )() as unknown[];
    expect(fs).toBe(process.getBuiltinModule('node:fs'));
    expect(dirname).toBe(process.getBuiltinModule('node:path').dirname);
    expect(joinPath).toBe(process.getBuiltinModule('node:path').join);
    expect(os).toBe(process.getBuiltinModule('node:os'));
    expect(userInfo).toBe(process.getBuiltinModule('node:os').userInfo);
    expect(proc).toBe(process);
    expect(setFlags).toBe(process.getBuiltinModule('node:v8').setFlagsFromString);
    expect(pipeline).toBe(process.getBuiltinModule('node:stream/promises').pipeline);
  });

  it('leaves namespace imports, side-effect imports and other packages alone', () => {
    const code = [
      'import * as util from "node:util";',
      'import "node:fs";',
      'import Database from "better-sqlite3";',
    ].join('\n');
    expect(builtinsFromProcess(code)).toBe(code);
  });
});
