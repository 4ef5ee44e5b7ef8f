/**
 * The template file format for `foresight template lint FILE` (and for sharing templates):
 * either JSON — {"name", "trigger", "channel", "subject", "body"} — or text with a front-matter
 * block, which is easier to write by hand:
 *
 *   ---
 *   name: Card update
 *   trigger: payment_failing
 *   channel: email
 *   subject: Keep {{account.name}} running
 *   ---
 *   Hi {{contact.first_name}},
 *   …
 *
 * Everything after the closing "---" is the body, exactly as written.
 */
import { UserFacingError } from '../errors.ts';
import { isTriggerId } from '../risk/catalog.ts';
import { isOutreachChannel, type OutreachChannel } from './channels.ts';

export interface TemplateFile {
  name: string;
  triggerId: string | null;
  channel: OutreachChannel;
  subject: string | null;
  body: string;
}

const FIELDS = ['name', 'trigger', 'channel', 'subject'] as const;

export function parseTemplateFile(
  text: string,
  fileName: string,
  defaults: { channel?: OutreachChannel } = {},
): TemplateFile {
  const content = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const raw =
    fileName.toLowerCase().endsWith('.json') || content.trimStart().startsWith('{')
      ? parseJson(content, fileName)
      : parseFrontMatter(content, fileName);
  const channel = raw.channel ?? defaults.channel ?? 'email';
  if (!isOutreachChannel(channel))
    throw new UserFacingError(
      'INVALID_TEMPLATE_FILE',
      `${fileName}: the channel must be email, in_app, sms or call, not "${channel}".`,
    );
  const trigger = raw.trigger?.trim() ? raw.trigger.trim() : null;
  if (trigger !== null && !isTriggerId(trigger))
    throw new UserFacingError('INVALID_TEMPLATE_FILE', `${fileName}: there is no trigger called "${trigger}".`);
  if (!raw.body || raw.body.trim() === '')
    throw new UserFacingError('INVALID_TEMPLATE_FILE', `${fileName}: the template has no body text.`);
  return {
    name: raw.name?.trim() || fileName.split(/[\\/]/).pop() || 'Template',
    triggerId: trigger,
    channel,
    subject: channel === 'email' ? (raw.subject ?? '') : null,
    body: raw.body,
  };
}

type Raw = Partial<Record<(typeof FIELDS)[number] | 'body', string>>;

function parseJson(content: string, fileName: string): Raw {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    throw new UserFacingError('INVALID_TEMPLATE_FILE', `${fileName} is not valid JSON: ${(error as Error).message}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserFacingError(
      'INVALID_TEMPLATE_FILE',
      `${fileName} must hold one JSON object with name, trigger, channel, subject and body.`,
    );
  }
  const raw: Raw = {};
  for (const key of [...FIELDS, 'body'] as const) {
    const field = (value as Record<string, unknown>)[key];
    if (field === undefined || field === null) continue;
    if (typeof field !== 'string')
      throw new UserFacingError('INVALID_TEMPLATE_FILE', `${fileName}: "${key}" must be text.`);
    raw[key] = field;
  }
  return raw;
}

function parseFrontMatter(content: string, fileName: string): Raw {
  const lines = content.split('\n');
  if (lines[0]?.trim() !== '---') return { body: content.trim() };
  const close = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
  if (close === -1)
    throw new UserFacingError(
      'INVALID_TEMPLATE_FILE',
      `${fileName}: the front matter that starts on line 1 has no closing "---" line.`,
    );
  const raw: Raw = {};
  for (let index = 1; index < close; index++) {
    const line = lines[index] ?? '';
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const colon = line.indexOf(':');
    const key = colon === -1 ? '' : line.slice(0, colon).trim().toLowerCase();
    if (!(FIELDS as readonly string[]).includes(key)) {
      throw new UserFacingError(
        'INVALID_TEMPLATE_FILE',
        `${fileName}, line ${index + 1}: expected one of ${FIELDS.join(', ')} as "key: value", not "${line.trim().slice(0, 40)}".`,
      );
    }
    raw[key as (typeof FIELDS)[number]] = unquote(line.slice(colon + 1).trim());
  }
  raw.body = lines
    .slice(close + 1)
    .join('\n')
    .replace(/^\n+/, '')
    .trimEnd();
  return raw;
}

function unquote(value: string): string {
  if (
    value.length >= 2 &&
    ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))
  )
    return value.slice(1, -1);
  return value;
}
