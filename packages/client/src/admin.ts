/** The admin client: topics and configs, as Kafka's Admin interface names them. */
import type { MetadataResult, NewTopicArgs, TopicErrorResult } from './ops';
import { KafkaClientError, type Transport } from './protocol';

export class Admin {
  constructor(private readonly transport: Transport) {}

  /** Creates topics; throws the first error unless `ignoreExisting` and it is TOPIC_ALREADY_EXISTS. */
  async createTopics(topics: readonly NewTopicArgs[], options: { ignoreExisting?: boolean } = {}): Promise<TopicErrorResult[]> {
    const results = (await this.transport.request('createTopics', { topics })) as TopicErrorResult[];
    for (const result of results) {
      if (!result.error) continue;
      if (options.ignoreExisting && result.error.code === 'TOPIC_ALREADY_EXISTS') continue;
      throw new KafkaClientError(result.error);
    }
    return results;
  }

  async deleteTopics(names: readonly string[]): Promise<TopicErrorResult[]> {
    const results = (await this.transport.request('deleteTopics', { names })) as TopicErrorResult[];
    const failed = results.find((r) => r.error);
    if (failed?.error) throw new KafkaClientError(failed.error);
    return results;
  }

  async listTopics(): Promise<string[]> {
    const metadata = await this.describeCluster();
    return metadata.topics.map((t) => t.name);
  }

  async describeCluster(topics?: readonly string[]): Promise<MetadataResult> {
    return (await this.transport.request('metadata', topics ? { topics } : {})) as MetadataResult;
  }

  async describeTopicConfigs(topic: string): Promise<Record<string, string>> {
    return ((await this.transport.request('describeConfigs', { topic })) as { configs: Record<string, string> }).configs;
  }

  /** Sets and removes topic-level overrides (incrementalAlterConfigs). */
  async alterTopicConfigs(topic: string, set: Readonly<Record<string, string>>, remove: readonly string[] = []): Promise<void> {
    await this.transport.request('alterConfigs', { topic, set, delete: remove });
  }
}
