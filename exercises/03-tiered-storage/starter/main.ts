/**
 * Your program: fill the tiered topic and read its oldest records back.
 * Press Run to execute `main`; what you `log` appears under the editor.
 */
import type { Kafka, Log } from '@kil/client';

export default async function main(kafka: Kafka, log: Log): Promise<void> {
  // TODO task 2: write enough ~1 KB records to metrics-0 to roll several segments.
  // TODO task 3: assign metrics-0, seek to offset 0 and poll.
  log('nothing written yet', kafka !== null);
}
