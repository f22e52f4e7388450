/**
 * Your program: a consume-transform-produce loop from `payments` to `ledger`.
 * Press Run to execute `main`; what you `log` appears under the editor.
 */
import type { Kafka, Log } from '@kil/client';

export default async function main(kafka: Kafka, log: Log): Promise<void> {
  const producer = kafka.producer({ transactionalId: 'ledger-writer' });
  // TODO task 1: initTransactions(), read payments with a consumer in group 'ledger-app',
  // write one ledger line per payment, send the consumer's offsets and commit.
  log('producer created', producer !== null);
}
