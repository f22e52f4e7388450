/**
 * A child process for the durability test: it writes a burst of progress records and
 * prints `ack <n>` on stdout after each write the store has acknowledged (its promise
 * resolved), until it is killed. Usage: `tsx durability-writer.ts <sqlite-data-dir | postgresql-url>`.
 *
 * Each record is one learner (`ensureLearner`) and one check result (`recordCheck`), the
 * two writes a "Check my work" makes; the ack follows the second.
 */
import { openProgressStore } from './index';

const target = process.argv[2];
if (!target) throw new Error('usage: durability-writer.ts <sqlite-data-dir | postgresql-url>');
const store = await openProgressStore(target.startsWith('postgresql:') ? { databaseUrl: target, dataDir: '' } : { dataDir: target });
const recordsMax = Number(process.env.RECORDS_MAX ?? 1_000_000);
console.log('ready');
for (let n = 0; n < recordsMax; n++) {
  const learnerId = await store.ensureLearner(`durable-${n}`, n);
  await store.recordCheck({ learnerId, exerciseId: 'durability', taskId: `task-${n}`, passed: n % 2 === 0, message: `record ${n}`, atMs: n });
  process.stdout.write(`ack ${n}\n`);
}
await store.close();
