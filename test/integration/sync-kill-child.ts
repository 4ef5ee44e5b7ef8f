/**
 * Child process for sync-kill.test.ts: imports one file into a database and reports each progress
 * callback on stdout ("progress N"), so the parent can kill it in the middle of the transaction.
 */
import { writeSync } from 'node:fs';
import { openDatabase } from '../../src/domain/db/open.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';

const [dbPath, file] = process.argv.slice(2);
if (!dbPath || !file) throw new Error('usage: sync-kill-child.ts DB FILE');
const { db } = openDatabase(dbPath);
let calls = 0;
writeSync(1, 'started\n');
importFiles(db, [file], {
  onProgress: () => void writeSync(1, `progress ${++calls}\n`),
  // The parent's trials take both ways of reading a CSV: this thread, and the CSV worker.
  ...(process.env.FORESIGHT_TEST_PARSE_IN_WORKER === '1' ? { parseInWorker: true } : {}),
});
writeSync(1, 'done\n');
db.close();
