import { describe, expect, it } from 'vitest';
import { isBackupDue, isoWeek, planRotation } from '../../src/domain/safety/rotation.ts';
import { backupFileName, parseBackupFileName } from '../../src/domain/safety/backup-files.ts';

type Fake = { takenAt: Date; kind: 'scheduled' | 'manual' | 'pre-restore'; id: string };

const at = (iso: string, kind: Fake['kind'] = 'scheduled'): Fake => ({ takenAt: new Date(iso), kind, id: iso + kind });
const days = (from: string, count: number, time = '09:00:00.000Z') =>
  Array.from({ length: count }, (_, i) => at(new Date(Date.parse(`${from}T${time}`) + i * 86_400_000).toISOString()));
const ids = (list: Fake[]) => list.map((b) => b.takenAt.toISOString().slice(0, 10)).sort();

describe('backup rotation: 7 daily and 4 weekly copies', () => {
  it('keeps the last 7 days and one copy for each of the 4 weeks before them, from 60 daily backups', () => {
    // 2025-01-01 .. 2025-03-01, one backup a day.
    const backups = days('2025-01-01', 60);
    const { keep, remove } = planRotation(backups);
    expect(keep).toHaveLength(11);
    expect(remove).toHaveLength(49);
    expect(ids(keep)).toEqual([
      // Weekly: the newest copy of each of the 4 ISO weeks before the daily window.
      '2025-02-02', // 2025-W05 (a Sunday)
      '2025-02-09', // W06
      '2025-02-16', // W07
      '2025-02-22', // W08, the part of it before the daily window
      // Daily: the last 7 days.
      '2025-02-23',
      '2025-02-24',
      '2025-02-25',
      '2025-02-26',
      '2025-02-27',
      '2025-02-28',
      '2025-03-01',
    ]);
  });

  it('keeps only the newest scheduled copy of a day, and every manual copy of the daily days', () => {
    const backups = [
      at('2025-03-01T08:00:00.000Z', 'manual'),
      at('2025-03-01T10:00:00.000Z'),
      at('2025-03-01T12:00:00.000Z'),
      at('2025-03-01T18:00:00.000Z', 'manual'),
    ];
    const { keep, remove } = planRotation(backups);
    // A manual copy before a risky step is not lost to the one taken after it (QA 5 #6).
    expect(keep.map((b) => b.takenAt.toISOString())).toEqual(['2025-03-01T08:00:00.000Z', '2025-03-01T18:00:00.000Z']);
    expect(remove).toHaveLength(2);
  });

  it('counts days that have backups, not calendar days, so a laptop left closed for weeks keeps its last 7 copies', () => {
    const backups = [...days('2025-01-01', 3), ...days('2025-02-01', 3), ...days('2025-03-01', 3)];
    const { keep } = planRotation(backups);
    // The 7 newest days with a backup are the daily copies (back to Jan 3); Jan 1 and 2 share an
    // ISO week, whose newest copy (Jan 2) is kept as a weekly one.
    expect(ids(keep)).toEqual([
      '2025-01-02',
      '2025-01-03',
      '2025-02-01',
      '2025-02-02',
      '2025-02-03',
      '2025-03-01',
      '2025-03-02',
      '2025-03-03',
    ]);
  });

  it('never rotates away a pre-restore copy', () => {
    const backups = [...days('2025-01-01', 60), at('2024-06-01T00:00:00.000Z', 'pre-restore')];
    const { keep } = planRotation(backups);
    expect(keep.some((b) => b.kind === 'pre-restore')).toBe(true);
  });

  it('is due once per UTC day, and a pre-restore copy does not count as the daily backup', () => {
    const now = new Date('2025-03-02T10:00:00.000Z');
    expect(isBackupDue([], now)).toBe(true);
    expect(isBackupDue([at('2025-03-01T23:59:59.000Z')], now)).toBe(true);
    expect(isBackupDue([at('2025-03-02T00:00:01.000Z')], now)).toBe(false);
    expect(isBackupDue([at('2025-03-02T09:00:00.000Z', 'pre-restore')], now)).toBe(true);
  });

  it('numbers ISO weeks the standard way', () => {
    expect(isoWeek(new Date('2025-01-01T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeek(new Date('2021-01-03T00:00:00Z'))).toBe('2020-W53');
    expect(isoWeek(new Date('2025-03-02T00:00:00Z'))).toBe('2025-W09');
  });

  it('round-trips backup file names, and ignores other files', () => {
    const when = new Date('2025-03-02T09:30:15.123Z');
    const name = backupFileName('foresight', when, 'manual');
    expect(name).toBe('foresight-2025-03-02T09-30-15-123Z-manual.db');
    expect(parseBackupFileName('foresight', name)).toEqual({ takenAt: when, kind: 'manual' });
    expect(parseBackupFileName('foresight', backupFileName('foresight', when, 'scheduled'))?.kind).toBe('scheduled');
    expect(parseBackupFileName('other', name)).toBeNull();
    expect(parseBackupFileName('foresight', '.foresight-2025-03-02T09-30-15-123Z.db.partial')).toBeNull();
    expect(parseBackupFileName('foresight', 'foresight-notes.db')).toBeNull();
  });
});
