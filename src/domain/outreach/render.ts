/**
 * Template rendering through Mustache, a maintained logic-less engine: no regular expressions
 * touch customer text, values are inserted exactly once (a value that itself contains "{{…}}" is
 * never rendered again), and HTML escaping is off because every output is plain text — an email
 * body, an SMS or a script — that is never interpreted as HTML anywhere in the app.
 */
import Mustache from 'mustache';
import { closestToken, TOKEN_NAMES, type TemplateView } from './tokens.ts';

export interface TemplateProblem {
  code: 'unknown_token' | 'template_syntax';
  /** Which part of the template: 'subject' or 'body'. */
  field: 'subject' | 'body';
  token: string | null;
  message: string;
}

type Token = [type: string, value: string, start: number, end: number, children?: Token[]];

// A writer with a small bounded cache: the editor re-renders on every keystroke, and Mustache's
// default cache would keep every intermediate version for the life of the process.
const writer = new Mustache.Writer();
const CACHE_LIMIT = 256;
const parsed = new Map<string, unknown>();
(writer as unknown as { templateCache: unknown }).templateCache = {
  get: (key: string) => parsed.get(key),
  set: (key: string, value: unknown) => {
    if (parsed.size >= CACHE_LIMIT) parsed.delete(parsed.keys().next().value as string);
    parsed.set(key, value);
  },
  clear: () => parsed.clear(),
};

const plainText = { escape: (value: unknown) => String(value) };

/** Unknown tokens, partials and syntax errors in one template text, each as a sentence. */
export function checkTemplateText(text: string, field: 'subject' | 'body'): TemplateProblem[] {
  let tokens: Token[];
  try {
    tokens = writer.parse(text) as Token[];
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return [
      {
        code: 'template_syntax',
        field,
        token: null,
        message: `The ${field} has a template error: ${detail}; check that every {{#section}} has a matching {{/section}} and every tag is closed.`,
      },
    ];
  }
  const problems: TemplateProblem[] = [];
  const seen = new Set<string>();
  const walk = (list: Token[], depth: number) => {
    for (const [type, value, , , children] of list) {
      if (type === 'name' || type === '&' || type === '#' || type === '^') {
        const known = TOKEN_NAMES.has(value) || (value === '.' && depth > 0);
        if (!known && !seen.has(value)) {
          seen.add(value);
          const suggestion = closestToken(value);
          problems.push({
            code: 'unknown_token',
            field,
            token: value,
            message: `“{{${value}}}” in the ${field} is not a token Foresight knows, so it would be blank in a customer's message${suggestion ? `; did you mean {{${suggestion}}}?` : '; pick one from the token list.'}`,
          });
        }
      } else if (type === '>') {
        problems.push({
          code: 'unknown_token',
          field,
          token: `>${value}`,
          message: `“{{>${value}}}” in the ${field} includes another template, which outreach templates do not support; paste the text in instead.`,
        });
      }
      if (children) walk(children, depth + 1);
    }
  };
  walk(tokens, 0);
  return problems;
}

/** Problems in a whole template (subject only for email). An empty list means it can be saved. */
export function checkTemplate(template: { subject?: string | null; body: string }): TemplateProblem[] {
  return [
    ...(template.subject ? checkTemplateText(template.subject, 'subject') : []),
    ...checkTemplateText(template.body, 'body'),
  ];
}

/**
 * Renders one template text. Call checkTemplateText first: an unknown name renders as an empty
 * string here, which is exactly what the save-time check exists to prevent.
 */
export function renderText(text: string, view: TemplateView): string {
  return tidy(writer.render(text, view, {}, plainText) as string);
}

/** Trailing spaces go, and optional sections that rendered empty leave at most one blank line. */
function tidy(text: string): string {
  const lines = text.split('\n').map((line) => line.trimEnd());
  const kept: string[] = [];
  for (const line of lines) {
    if (line === '' && (kept.length === 0 || kept.at(-1) === '')) continue;
    kept.push(line);
  }
  while (kept.at(-1) === '') kept.pop();
  return kept.join('\n');
}
