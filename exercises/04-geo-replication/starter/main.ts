/**
 * Your program: orders in us-east, the billing group that reads them, and later billing
 * again in eu-west. Press Run to execute `main`; what you `log` appears under the editor.
 * `kafka` talks to us-east (localhost:9092); `kafka.cluster('localhost:9192')` to eu-west.
 */
import type { Kafka, Log } from '@kil/client';

export default async function main(kafka: Kafka, log: Log): Promise<void> {
  // TODO step 2: write orders to 'orders' and let group 'billing' read some of them and commit.
  log('no orders yet', kafka !== null);
}
