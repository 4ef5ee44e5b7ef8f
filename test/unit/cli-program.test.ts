import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.ts';
import { buildProgram, requestedCommand, summarise } from '../../src/cli/program.ts';

/** Every command's help, and the help of its subcommands, as the full program prints them. */
function helpTexts(program: Command): Map<string, string> {
  const texts = new Map<string, string>();
  const visit = (command: Command, path: string) => {
    texts.set(path, command.helpInformation());
    for (const sub of command.commands) visit(sub, `${path} ${sub.name()}`);
  };
  visit(program, 'foresight');
  return texts;
}

describe('the CLI program, loaded on demand', () => {
  it('finds the command an argument list asks for, past the global options', () => {
    expect(requestedCommand([])).toBeNull();
    expect(requestedCommand(['--help'])).toBeNull();
    expect(requestedCommand(['status'])).toBe('status');
    expect(requestedCommand(['--db', 'risks', '--json', 'risks', '--top', '10'])).toBe('risks');
    expect(requestedCommand(['help', 'account'])).toBe('account');
    expect(requestedCommand(['help'])).toBeNull();
  });

  it('lists every command in the top-level help from the build-time summary exactly as with all loaded', async () => {
    const full = await buildProgram([], null);
    const listed = await buildProgram([], summarise(full));
    expect(listed.helpInformation()).toBe(full.helpInformation());
    expect(full.commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
  });

  it('loads only the named command, whose help is the same as in the full program', async () => {
    const full = helpTexts(await buildProgram([], null));
    for (const { name } of COMMANDS) {
      const program = await buildProgram([name], []);
      expect(program.commands.map((c) => c.name())).toEqual([name]);
      for (const [path, text] of helpTexts(program)) if (path !== 'foresight') expect(text).toBe(full.get(path));
    }
  });

  it('defines no option on both a command and its subcommand, except the global --db and --json', async () => {
    // A parent's option is parsed before the subcommand sees it, so the child's copy never gets a value:
    // "quarantine discard --all --kind events" once discarded every kind.
    const shared = new Set(['--db', '--json']);
    const clashes: string[] = [];
    const visit = (command: Command, path: string) => {
      const parentOptions = new Set(command.options.map((option) => option.long));
      for (const sub of command.commands) {
        for (const option of sub.options)
          if (parentOptions.has(option.long) && !shared.has(option.long ?? ''))
            clashes.push(`${path} ${sub.name()} ${option.long}`);
        visit(sub, `${path} ${sub.name()}`);
      }
    };
    visit(await buildProgram([], null), 'foresight');
    expect(clashes).toEqual([]);
  });
});
