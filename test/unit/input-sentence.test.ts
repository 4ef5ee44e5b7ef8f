import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { join } from 'node:path';
import { createApp } from '../../src/app/create-app.ts';
import { apiContract, type ApiMethod } from '../../src/shared/api.ts';
import { invalidInputSentence } from '../../src/shared/input-sentence.ts';
import { tempDir } from '../support/temp.ts';

type Node = { _zod: { def: Record<string, unknown> & { type: string } } };

/** The schema under wrappers (optional, default, pipe, lazy). */
function bare(node: Node): Node {
  const def = node._zod.def;
  if (def.type === 'pipe') return bare(def.in as Node);
  if (def.type === 'lazy') return bare((def.getter as () => Node)());
  if (def.innerType) return bare(def.innerType as Node);
  return node;
}

const BAD_VALUES: unknown[] = [
  12345,
  1.5,
  -1,
  '',
  'x'.repeat(200_000),
  'not valid / at all',
  true,
  [],
  [123],
  { a: 1 },
  null,
];

/** Inputs that are wrong in one place each, down to nested fields, list elements and record values. */
function invalidInputs(schema: Node, depth = 0): unknown[] {
  const node = bare(schema);
  const def = node._zod.def;
  const out: unknown[] = depth === 0 ? ['not an object', { unexpected: true }] : [...BAD_VALUES];
  if (depth > 3) return out;
  if (def.type === 'object') {
    for (const [key, field] of Object.entries(def.shape as Record<string, Node>)) {
      for (const value of invalidInputs(field, depth + 1)) out.push({ [key]: value });
    }
    if (depth > 0) out.push({ unexpected: true });
  } else if (def.type === 'array') {
    for (const value of invalidInputs(def.element as Node, depth + 1)) out.push([value]);
  } else if (def.type === 'record') {
    for (const value of invalidInputs(def.valueType as Node, depth + 1)) out.push({ 'not an email': value });
  } else if (def.type === 'union') {
    for (const option of def.options as Node[]) out.push(...invalidInputs(option, depth).slice(depth === 0 ? 2 : 0));
  }
  return out;
}

/** What a person must never read in a refusal. */
function problems(text: string, method: string, path: readonly PropertyKey[]): string[] {
  const found: string[] = [];
  if (text.includes(method)) found.push('the method name');
  if (path.length > 1 && text.includes(path.map(String).join('.'))) found.push('a dotted path');
  if (/\b[a-z]+(\.[a-z0-9]+)*\.\d+\b/i.test(text)) found.push('a path with an index');
  if (/\b[a-z]+[A-Z][A-Za-z]*\b/.test(text)) found.push('a camelCase key');
  if (/invalid input|invalid option|invalid string|too big|too small|unrecognized key|received|<=|>=/i.test(text))
    found.push("zod's wording");
  // The listed choices of a field may include the word ("… last_touch, expected"): they are values.
  if (/\bexpected\b/i.test(text.replace(/ one of .*$/, ''))) found.push('"expected"');
  if (!/^[A-Z“]/.test(text) || !text.endsWith('.')) found.push('not a sentence');
  return found;
}

/** SMTP settings that are right but for `change`. */
const smtp = (change: Record<string, unknown>) => ({
  settings: {
    host: 'smtp.example.com',
    port: 587,
    security: 'starttls',
    username: null,
    fromEmail: 'maya@example.com',
    fromName: null,
    ...change,
  },
});

describe('refused API input, in words', () => {
  it('never shows a method, a path or zod’s wording for any method’s invalid input', () => {
    const failures: string[] = [];
    let checked = 0;
    for (const [method, entry] of Object.entries(apiContract)) {
      const schema = entry.input as z.ZodType;
      for (const input of invalidInputs(schema as unknown as Node)) {
        const parsed = schema.safeParse(input);
        if (parsed.success) continue;
        for (const issue of parsed.error.issues) {
          const text = invalidInputSentence(schema, new z.ZodError([issue]), input);
          checked += 1;
          const found = problems(text, method, issue.path);
          if (found.length > 0) failures.push(`${method} ${JSON.stringify(issue.path)}: ${found.join(', ')} — ${text}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect([...new Set(failures)].slice(0, 40)).toEqual([]);
  });

  it.each<[ApiMethod, unknown, string]>([
    ['mail.settings.save', smtp({ host: '' }), "The SMTP server can't be empty."],
    ['mail.settings.save', smtp({ fromEmail: 'maya' }), 'The From address must be an email address.'],
    [
      'mail.settings.save',
      smtp({ passwordEnv: 'rm -rf /' }),
      'The password’s environment variable must be FORESIGHT_SMTP_PASSWORD or a name starting with it (capitals, digits and _).',
    ],
    [
      'preferences.set',
      { externalLinks: { allowedHosts: ['not a host'] } },
      'The allowed link host must be a host name such as app.hubspot.com.',
    ],
    [
      'outreach.templates.save',
      { name: 'Nudge', triggerId: null, channel: 'email', body: 'x'.repeat(200_000) },
      'The template body is 200,000 characters; keep it to 50,000.',
    ],
    ['accounts.list', { limit: 5000 }, "The number of rows can't be more than 1000."],
  ])('%s says what is wrong in one sentence', async (method, input, sentence) => {
    const { dispatch, close } = createApp({
      dbPath: join(tempDir(), 'f.db'),
      now: () => new Date('2026-11-21T12:00:00Z'),
    });
    expect(await dispatch(method, input)).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: sentence } });
    close();
  });
});
