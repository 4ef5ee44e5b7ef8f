import type { Command } from 'commander';
import { registerBackup } from './backup.ts';
import { registerBench } from './bench.ts';
import { registerDraft } from './draft.ts';
import { registerInit } from './init.ts';
import { registerRestore } from './restore.ts';
import { registerStatus } from './status.ts';
import { registerImport } from './import.ts';
import { registerPresets } from './presets.ts';
import { registerAliases } from './aliases.ts';
import { registerSource } from './source.ts';
import { registerSync } from './sync.ts';
import { registerQuarantine } from './quarantine.ts';
import { registerTemplate } from './template.ts';
import { registerTemplates } from './templates.ts';
import { registerLog } from './log.ts';
import { registerInterventions } from './interventions.ts';
import { registerOutcomes } from './outcomes.ts';
import { registerExport } from './export.ts';
import { registerImportOutcomes } from './import-outcomes.ts';
import { registerRisks } from './risks.ts';
import { registerAccount } from './account.ts';
import { registerScoreQuality } from './score-quality.ts';
import { registerChurnDrivers } from './churn-drivers.ts';
import { registerRiskItem } from './risks-item.ts';
import { registerActivities, registerActivity } from './activity.ts';
import { registerRenewals } from './renewals.ts';
import { registerAccounts } from './accounts.ts';
import { registerDigest } from './digest.ts';
import { registerHub } from './hub.ts';

/** Every CLI command, one registration per capability. */
export const commandRegistrations: ((program: Command) => void)[] = [
  registerInit,
  registerStatus,
  registerImport,
  registerPresets,
  registerAliases,
  registerSource,
  registerSync,
  registerQuarantine,
  registerBackup,
  registerRestore,
  registerBench,
  registerDraft,
  registerTemplates,
  registerTemplate,
  registerLog,
  registerInterventions,
  registerOutcomes,
  registerExport,
  registerImportOutcomes,
  registerRisks,
  registerAccount,
  registerScoreQuality,
  registerChurnDrivers,
  registerRiskItem,
  registerActivity,
  registerActivities,
  registerRenewals,
  registerAccounts,
  registerDigest,
  registerHub,
];
