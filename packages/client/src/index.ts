/**
 * @kil/client: a small Kafka-like client for code written in the lab's editor. It speaks
 * the lab's client ops over a Transport (the page's WebSocket in the browser, a direct
 * call in the grader) and imports nothing else of ours.
 */
import { Admin } from './admin';
import { Consumer, type ConsumerConfig } from './consumer';
import { Producer, type ProducerConfig } from './producer';
import type { Transport } from './protocol';

export class Kafka {
  constructor(private readonly transport: Transport) {}

  /**
   * A client of the cluster at `bootstrapServers`. Labs of two clusters (geo-replication)
   * have the primary region on localhost:9092 and the secondary on localhost:9192; without
   * this, code talks to the primary.
   */
  cluster(bootstrapServers: string): Kafka {
    const transport = this.transport;
    return new Kafka({ request: (op, args) => transport.request(op, { ...args, bootstrapServers }) });
  }

  admin(): Admin {
    return new Admin(this.transport);
  }

  producer(config: ProducerConfig = {}): Producer {
    return new Producer(this.transport, config);
  }

  consumer(config: ConsumerConfig = {}): Consumer {
    return new Consumer(this.transport, config);
  }
}

export { Admin } from './admin';
export { Producer, type ProducerConfig, type ProducerRecord, type RecordMetadata, type ConsumerGroupMetadata } from './producer';
export { Consumer, type ConsumerConfig, type ConsumerRebalanceListener } from './consumer';
export {
  builtInAssignors, rangeAssignor, roundRobinAssignor, stickyAssignor, cooperativeStickyAssignor,
  type PartitionAssignor, type GroupSubscription, type RebalanceProtocol,
} from './assignors';
export { murmur2, partitionForKey } from './partitioner';
export * from './protocol';
export type * from './ops';
