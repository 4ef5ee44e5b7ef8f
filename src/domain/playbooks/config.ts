/**
 * Each trigger's playbook in effect: the user's copy (Settings → Playbooks, stored in app_meta
 * `playbooks` as `{ <trigger id>: steps }`) or else the default from defaults.ts. Saving validates
 * every step and answers one sentence naming the play, the step and the field.
 */
import type { Db } from '../db/open.ts';
import { metaRepo } from '../db/repos/meta.ts';
import { UserFacingError } from '../errors.ts';
import { getTemplate } from '../outreach/templates.ts';
import { DEFAULT_TRIGGERS, isTriggerId, TRIGGER_IDS, type TriggerId } from '../risk/catalog.ts';
import { playbookStepsSchema, type PlaybookStep, type PlaybookView } from '../../shared/dto/playbooks.ts';
import { DEFAULT_PLAYBOOKS } from './defaults.ts';

export const PLAYBOOKS_KEY = 'playbooks';

const FIELD_NAMES: Record<string, string> = {
  tier: 'tier',
  title: 'title',
  offsetDays: 'due offset',
  owner: 'owner',
  templateId: 'template',
  autoSend: 'send automatically',
};

function storedOverrides(db: Db): Partial<Record<TriggerId, PlaybookStep[]>> {
  const raw = metaRepo(db).get(PLAYBOOKS_KEY);
  if (!raw) return {};
  const parsed = JSON.parse(raw) as Record<string, unknown>;
  const out: Partial<Record<TriggerId, PlaybookStep[]>> = {};
  for (const [id, steps] of Object.entries(parsed)) {
    const valid = playbookStepsSchema.safeParse(steps);
    // A stored copy that no longer validates (an older version's shape) falls back to the default.
    if (isTriggerId(id) && valid.success) out[id] = valid.data;
  }
  return out;
}

export function triggerLabel(triggerId: string): string {
  return isTriggerId(triggerId) ? DEFAULT_TRIGGERS[triggerId].label : triggerId;
}

/** Every trigger's playbook in effect, in the catalog's order. */
export function listPlaybooks(db: Db): PlaybookView[] {
  const overrides = storedOverrides(db);
  return TRIGGER_IDS.map((id) => ({
    triggerId: id,
    label: DEFAULT_TRIGGERS[id].label,
    steps: overrides[id] ?? [...DEFAULT_PLAYBOOKS[id]],
    customised: overrides[id] !== undefined,
  }));
}

export function playbookFor(db: Db, triggerId: TriggerId): readonly PlaybookStep[] {
  return storedOverrides(db)[triggerId] ?? DEFAULT_PLAYBOOKS[triggerId];
}

function checkedTrigger(triggerId: string): TriggerId {
  if (!isTriggerId(triggerId))
    throw new UserFacingError('UNKNOWN_TRIGGER', `There is no trigger called "${triggerId}".`);
  return triggerId;
}

/** Validates and stores a trigger's steps; one sentence names the step and field that is wrong. */
export function savePlaybook(db: Db, triggerId: string, steps: unknown): PlaybookView {
  const id = checkedTrigger(triggerId);
  const label = DEFAULT_TRIGGERS[id].label;
  const parsed = playbookStepsSchema.safeParse(steps);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [index, field] = issue.path;
    const where =
      typeof index === 'number'
        ? `step ${index + 1}${typeof field === 'string' ? ` (${FIELD_NAMES[field] ?? field})` : ''}`
        : 'steps';
    throw new UserFacingError('INVALID_PLAYBOOK', `${label} playbook, ${where}: ${issue.message}.`);
  }
  parsed.data.forEach((step, index) => {
    if (step.templateId === null) return;
    const template = getTemplate(db, step.templateId);
    if (!template || template.archived)
      throw new UserFacingError(
        'INVALID_PLAYBOOK',
        `${label} playbook, step ${index + 1} (template): there is no template "${step.templateId}".`,
      );
    if (template.channel !== 'email')
      throw new UserFacingError(
        'INVALID_PLAYBOOK',
        `${label} playbook, step ${index + 1} (template): "${template.name}" is for ${template.channel}; automated outreach sends email.`,
      );
  });
  writeOverrides(db, { ...storedOverrides(db), [id]: parsed.data });
  return listPlaybooks(db).find((p) => p.triggerId === id)!;
}

/** Back to the default steps (items already open keep the checklist they were given). */
export function resetPlaybook(db: Db, triggerId: string): PlaybookView {
  const id = checkedTrigger(triggerId);
  const overrides = storedOverrides(db);
  delete overrides[id];
  writeOverrides(db, overrides);
  return listPlaybooks(db).find((p) => p.triggerId === id)!;
}

function writeOverrides(db: Db, overrides: Partial<Record<TriggerId, PlaybookStep[]>>): void {
  if (Object.keys(overrides).length === 0) metaRepo(db).remove(PLAYBOOKS_KEY);
  else metaRepo(db).set(PLAYBOOKS_KEY, JSON.stringify(overrides));
}
