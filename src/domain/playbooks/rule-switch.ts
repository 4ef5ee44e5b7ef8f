/**
 * The kill switch over tier-2 steps sent by rule (Settings → Playbooks): on by default, so a step
 * marked "send automatically when due" does what it says; switched off, nothing is sent without a
 * person's approval and every such step waits on the checklist like any other. Stored in app_meta.
 */
import type { Db } from '../db/open.ts';
import { metaRepo } from '../db/repos/meta.ts';
import type { RuleSendSettings } from '../../shared/dto/playbooks.ts';

const RULE_SENDS_KEY = 'playbooks.rule_sends';

export function ruleSendSettings(db: Db): RuleSendSettings {
  return { enabled: metaRepo(db).get(RULE_SENDS_KEY) !== 'off' };
}

export function saveRuleSendSettings(db: Db, settings: RuleSendSettings): RuleSendSettings {
  metaRepo(db).set(RULE_SENDS_KEY, settings.enabled ? 'on' : 'off');
  return ruleSendSettings(db);
}
