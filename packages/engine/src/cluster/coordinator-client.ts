/**
 * The client facade's factories for the in-lab producer and group consumer (SimClient
 * extends this), so the shell, the lab's built-in clients and learner code all drive the
 * same implementations.
 */
import type { CoordinatorClientApi, GroupConsumerApi, GroupConsumerConfig, ProducerApi, ProducerConfig } from './coordinator-api';
import type { Cluster } from './cluster';
import { SimGroupConsumer } from './consumer-client';
import { SimProducer } from './producer-client';

export abstract class CoordinatorClient implements CoordinatorClientApi {
  constructor(private readonly owner: Cluster) {}

  createProducer(config: ProducerConfig = {}): ProducerApi {
    return new SimProducer(this.owner, config);
  }

  createConsumer(config: GroupConsumerConfig): GroupConsumerApi {
    return new SimGroupConsumer(this.owner, config);
  }
}
