/**
 * Every example command in docs/*.md is one a new user can paste: `npx foresight …` (as in the
 * README). A bare `foresight …` is "command not found" until the package is installed globally.
 * Prose mentions (`foresight sync` in a sentence) are left alone: only fenced shell blocks count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DOCS = join(import.meta.dirname, '..', '..', 'docs');
const NOT_SHELL = new Set(['json', 'ts', 'tsx', 'js', 'typescript', 'sql', 'yaml', 'csv', 'text']);
// A command position: the line's start (after a prompt or VAR=value), or after | && ; (
const BARE = /(?:^\s*(?:\$\s+)?|(?:\||&&|;|\()\s*)(?:[A-Z_]+=\S+\s+)*foresight(?=\s|$)/;

function bareCommands(markdown: string): string[] {
  const found: string[] = [];
  let lang: string | null = null;
  for (const line of markdown.split('\n')) {
    const fence = /^\s*```(\w*)/.exec(line);
    if (fence) {
      lang = lang === null ? fence[1]! : null;
      continue;
    }
    if (lang !== null && !NOT_SHELL.has(lang) && BARE.test(line)) found.push(line.trim());
  }
  return found;
}

describe('the docs’ example commands', () => {
  it('finds a bare command and leaves npx and prose alone', () => {
    expect(bareCommands('```bash\nforesight sync\nnpx foresight sync\n```\nRun foresight sync.')).toEqual([
      'foresight sync',
    ]);
  });

  it('start with npx foresight, as the README’s do', () => {
    const bare = readdirSync(DOCS)
      .filter((f) => f.endsWith('.md'))
      .flatMap((f) => bareCommands(readFileSync(join(DOCS, f), 'utf8')).map((line) => `${f}: ${line}`));
    expect(bare).toEqual([]);
  });
});
