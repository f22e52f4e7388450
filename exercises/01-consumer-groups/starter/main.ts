/**
 * Your program. Press Run to execute `main` against your lab; what you `log` appears
 * under the editor. The tasks on the right say what to build, step by step.
 */
import type { Kafka, Log } from '@kil/client';

export default async function main(kafka: Kafka, log: Log): Promise<void> {
  const consumer = kafka.consumer({ groupId: 'clicks-readers', partitionAssignmentStrategy: ['range'] });
  // TODO task 1: subscribe three consumers like this one to 'clicks' and poll them side by side.
  log('consumer created; it has not joined the group yet', consumer.assignment());
}
