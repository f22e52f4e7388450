/**
 * Your program: orders on the primary, and the billing group that reads them.
 * Press Run to execute `main`; what you `log` appears under the editor.
 */
import type { Kafka, Log } from '@kil/client';

export default async function main(kafka: Kafka, log: Log): Promise<void> {
  // TODO task 2: write orders to 'orders' and read some of them in group 'billing', committing offsets.
  log('no orders yet', kafka !== null);
}
