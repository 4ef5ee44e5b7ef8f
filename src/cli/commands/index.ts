import type { Command } from 'commander';

/** One CLI command: its name, and its module loaded only when the command runs (or help lists them all). */
export interface CommandEntry {
  name: string;
  load: () => Promise<(program: Command) => void>;
}

/**
 * Every CLI command, one registration per capability, in the order `foresight --help` lists them.
 * Each module is imported on demand, so `foresight status` does not load the importer, exceljs or
 * the outreach code; add a command here with its name and a dynamic import of its register function.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'init', load: async () => (await import('./init.ts')).registerInit },
  { name: 'status', load: async () => (await import('./status.ts')).registerStatus },
  { name: 'import', load: async () => (await import('./import.ts')).registerImport },
  { name: 'presets', load: async () => (await import('./presets.ts')).registerPresets },
  { name: 'aliases', load: async () => (await import('./aliases.ts')).registerAliases },
  { name: 'source', load: async () => (await import('./source.ts')).registerSource },
  { name: 'sync', load: async () => (await import('./sync.ts')).registerSync },
  { name: 'quarantine', load: async () => (await import('./quarantine.ts')).registerQuarantine },
  { name: 'backup', load: async () => (await import('./backup.ts')).registerBackup },
  { name: 'restore', load: async () => (await import('./restore.ts')).registerRestore },
  { name: 'bench', load: async () => (await import('./bench.ts')).registerBench },
  { name: 'draft', load: async () => (await import('./draft.ts')).registerDraft },
  { name: 'templates', load: async () => (await import('./templates.ts')).registerTemplates },
  { name: 'template', load: async () => (await import('./template.ts')).registerTemplate },
  { name: 'log', load: async () => (await import('./log.ts')).registerLog },
  { name: 'interventions', load: async () => (await import('./interventions.ts')).registerInterventions },
  { name: 'outcomes', load: async () => (await import('./outcomes.ts')).registerOutcomes },
  { name: 'export', load: async () => (await import('./export.ts')).registerExport },
  { name: 'import-outcomes', load: async () => (await import('./import-outcomes.ts')).registerImportOutcomes },
  { name: 'risks', load: async () => (await import('./risks.ts')).registerRisks },
  { name: 'account', load: async () => (await import('./account.ts')).registerAccount },
  { name: 'score-quality', load: async () => (await import('./score-quality.ts')).registerScoreQuality },
  { name: 'churn-drivers', load: async () => (await import('./churn-drivers.ts')).registerChurnDrivers },
  { name: 'risk-item', load: async () => (await import('./risks-item.ts')).registerRiskItem },
  { name: 'activity', load: async () => (await import('./activity.ts')).registerActivity },
  { name: 'activities', load: async () => (await import('./activity.ts')).registerActivities },
  { name: 'renewals', load: async () => (await import('./renewals.ts')).registerRenewals },
  { name: 'accounts', load: async () => (await import('./accounts.ts')).registerAccounts },
  { name: 'digest', load: async () => (await import('./digest.ts')).registerDigest },
  { name: 'hub', load: async () => (await import('./hub.ts')).registerHub },
  { name: 'playbooks', load: async () => (await import('./playbooks.ts')).registerPlaybooks },
  { name: 'tasks', load: async () => (await import('./playbooks.ts')).registerTasks },
  { name: 'task', load: async () => (await import('./playbooks.ts')).registerTask },
  { name: 'mail', load: async () => (await import('./mail.ts')).registerMail },
  { name: 'note', load: async () => (await import('./success-plan.ts')).registerNote },
  { name: 'notes', load: async () => (await import('./success-plan.ts')).registerNotes },
  { name: 'goal', load: async () => (await import('./success-plan.ts')).registerGoal },
  { name: 'goals', load: async () => (await import('./success-plan.ts')).registerGoals },
];
