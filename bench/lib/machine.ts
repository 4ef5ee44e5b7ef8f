/** What machine the figures came from: the UI figures are absolute, so they mean little without it. */
import { cpus, freemem, loadavg, release, totalmem, type as osType } from 'node:os';
import Database from 'better-sqlite3';
import { sqlite3Version } from './sqlite-cli.ts';

export interface MachineInfo {
  cpuModel: string;
  cpus: number;
  memoryGb: number;
  freeMemoryGb: number;
  os: string;
  node: string;
  sqliteLibrary: string;
  sqliteShell: string | null;
  chromium: string | null;
  /** 1-minute load average when the run started: > cores means others were busy too. */
  loadAverage: number;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  const memory = new Database(':memory:');
  const sqliteLibrary = (memory.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  memory.close();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cpus: list.length,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGb: Math.round((freemem() / 2 ** 30) * 10) / 10,
    os: `${osType()} ${release()}`,
    node: process.version,
    sqliteLibrary,
    sqliteShell: sqlite3Version(),
    chromium: null,
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
  };
}
