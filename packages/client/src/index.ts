/**
 * @kil/client: a small Kafka-like client for code written in the lab's editor. It speaks
 * the lab's client ops over a Transport (the page's WebSocket in the browser, a direct
 * call in the grader) and imports nothing else of ours.
 */
import { Admin } from './admin';
import { Consumer, type ConsumerConfig } from './consumer';
import { Producer, type ProducerConfig } from './producer';
import { clientDefaultsFrom, ignoredKeys, topicConfigsFrom, type ClientDefaults, type PropertyFile } from './properties';
import { KafkaClientError, type Log, type Transport } from './protocol';

export class Kafka {
  /**
   * `defaults` are the producer and consumer options of the exercise's property files:
   * every producer() and consumer() starts from them, and options given in code win.
   */
  constructor(
    private readonly transport: Transport,
    readonly defaults: ClientDefaults = {},
  ) {}

  /**
   * Applies property files: topic files become IncrementalAlterConfigs on their topics
   * (the broker judges the values and answers INVALID_CONFIG with why), and producer and
   * consumer files become the defaults of the client returned. Every file is checked
   * before anything is applied, so a typo changes nothing.
   */
  async withProperties(files: readonly PropertyFile[], log?: Log): Promise<Kafka> {
    const defaults = clientDefaultsFrom(files);
    const topics = topicConfigsFrom(files);
    for (const file of files) {
      const ignored = ignoredKeys(file);
      if (ignored.length > 0) log?.(`note: ${file.file}: ${ignored.join(', ')} ${ignored.length === 1 ? 'has' : 'have'} no effect in the lab's client`);
    }
    for (const { topic, file, configs } of topics) {
      if (Object.keys(configs).length === 0) continue;
      try {
        await this.admin().alterTopicConfigs(topic, configs);
      } catch (error) {
        if (!(error instanceof KafkaClientError)) throw error;
        throw new KafkaClientError({ code: error.code, message: `${file} (topic ${topic}): ${error.message.replace(/^[A-Z_]+: /, '')}` });
      }
    }
    return new Kafka(this.transport, { producer: { ...this.defaults.producer, ...defaults.producer }, consumer: { ...this.defaults.consumer, ...defaults.consumer } });
  }

  /**
   * A client of the cluster at `bootstrapServers`. Labs of two clusters (geo-replication)
   * have the primary region on localhost:9092 and the secondary on localhost:9192; without
   * this, code talks to the primary.
   */
  cluster(bootstrapServers: string): Kafka {
    const transport = this.transport;
    return new Kafka({ request: (op, args) => transport.request(op, { ...args, bootstrapServers }) }, this.defaults);
  }

  admin(): Admin {
    return new Admin(this.transport);
  }

  producer(config: ProducerConfig = {}): Producer {
    return new Producer(this.transport, { ...this.defaults.producer, ...config });
  }

  consumer(config: ConsumerConfig = {}): Consumer {
    return new Consumer(this.transport, { ...this.defaults.consumer, ...config });
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
export {
  parseProperties, producerConfigFromProperties, consumerConfigFromProperties, topicConfigsFromProperties, clientDefaultsFrom, topicConfigsFrom,
  checkKeys, closestKey, validKeys, keysWithoutEffect, ignoredKeys, topicConfigKeys, propertyLimits,
  type PropertyEntry, type PropertyFile, type PropertyFileKind, type ClientDefaults,
} from './properties';
export * from './protocol';
export type * from './ops';
