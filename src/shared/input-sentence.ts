/**
 * A refused API input as the one sentence the user reads: "The SMTP server can't be empty.", "The
 * template body is 200,000 characters; keep it to 50,000." — never the method's name, a dotted path
 * or zod's own wording. The field is named by the `title` its schema carries (`.meta({ title })`),
 * else by its key in words; what is wrong comes from the issue's code (settings-issues.ts), or from
 * the schema's own message when its author wrote one for people.
 */
import { globalRegistry, type z } from 'zod';
import { issuePredicate, sentence, type IssueLike } from './settings-issues.ts';

/** zod's default English messages (its locale), which are never shown as they are. */
const ZOD_WORDING = /^(invalid|too (big|small)|unrecognized|expected)\b/i;

interface Node {
  _zod: { def: Record<string, unknown> & { type: string } };
}

const asNode = (value: unknown): Node | undefined =>
  value && typeof value === 'object' && '_zod' in value ? (value as Node) : undefined;

/** The schema a wrapper (optional, default, pipe …) stands for, or undefined for a leaf. */
function inner(node: Node): Node | undefined {
  const def = node._zod.def;
  if (def.type === 'pipe') return asNode(def.in);
  if (def.type === 'lazy' && typeof def.getter === 'function') return asNode((def.getter as () => unknown)());
  return asNode(def.innerType);
}

/** The title on a schema or any wrapper around it, outermost first. */
function titleOf(node: Node | undefined): string | undefined {
  for (let at = node; at; at = inner(at)) {
    const title = globalRegistry.get(at as unknown as z.ZodType)?.title;
    if (title) return title;
  }
  return undefined;
}

/** The schema of the value at `key` inside `node`, looking through wrappers and unions. */
function child(node: Node | undefined, key: PropertyKey): Node | undefined {
  for (let at = node; at; at = inner(at)) {
    const def = at._zod.def;
    if (def.type === 'object') return asNode((def.shape as Record<PropertyKey, unknown>)[key]);
    if (def.type === 'array') return asNode(def.element);
    if (def.type === 'record') return asNode(def.valueType);
    if (def.type === 'union')
      for (const option of def.options as unknown[]) {
        const found = child(asNode(option), key);
        if (found) return found;
      }
  }
  return undefined;
}

/** "fromEmail" → "from email", "allowed_hosts" → "allowed hosts". */
const keyInWords = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();

/** What a sentence calls the field at `path`: its title, else its key in words. */
function fieldName(schema: z.ZodType, path: readonly PropertyKey[]): string | undefined {
  let node: Node | undefined = asNode(schema);
  for (const key of path) node = child(node, key);
  const title = titleOf(node);
  if (title) return title;
  const key = [...path].reverse().find((part) => typeof part === 'string');
  return key ? keyInWords(key) : undefined;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

type Issue = z.core.$ZodIssue;

/** The issue that says the most: inside a union, a record's key or a list's element. */
function innermost(issue: Issue): Issue {
  const nested =
    issue.code === 'invalid_union'
      ? issue.errors[0]?.[0]
      : issue.code === 'invalid_key' || issue.code === 'invalid_element'
        ? issue.issues[0]
        : undefined;
  if (!nested) return issue;
  // A record key's problem is about the record; an element's, about the element.
  const prefix = issue.code === 'invalid_element' ? [...issue.path, issue.key] : issue.path;
  return innermost({ ...nested, path: [...prefix, ...nested.path] } as Issue);
}

/** One sentence for the first problem of a refused input. */
export function invalidInputSentence(schema: z.ZodType, error: z.ZodError, input: unknown): string {
  const first = error.issues[0];
  if (!first) return 'Foresight could not read this request.';
  const issue = innermost(first);
  const field = fieldName(schema, issue.path);
  const subject = field ? `the ${field}` : 'this request';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `“${key}”`).join(', ');
    return sentence(`${subject} has ${issue.keys.length > 1 ? 'fields' : 'a field'} Foresight does not know: ${keys}`);
  }
  // A message the schema's author wrote: "expected a time as HH:MM" says what the field must be.
  if (issue.message.startsWith('expected ')) return sentence(`${subject} must be ${issue.message.slice(9)}`);
  if (!ZOD_WORDING.test(issue.message)) return sentence(issue.message);
  const received = valueAt(input, issue.path);
  if (issue.code === 'invalid_type' && received === undefined) return sentence(`${subject} is missing`);
  const predicate = issuePredicate(issue as IssueLike, undefined, received);
  return sentence(`${subject} ${predicate || "isn't a value Foresight can use"}`);
}
