/**
 * kafka-configs: describe and alter dynamic configs of topics and brokers, with Kafka
 * 4.x's ConfigCommand options. Entity types: topics, brokers (and their aliases --topic,
 * --broker, --broker-defaults).
 */
import type { OptionDef, ParsedOptions } from '../args';
import { notAvailable, UsageError } from '../errors';
import { BOOTSTRAP_OPTION, kafkaTool } from '../kafka-tool';

const OPTIONS: readonly OptionDef[] = [
  { ...BOOTSTRAP_OPTION, description: 'The Kafka servers to connect to.' },
  { name: 'bootstrap-controller', description: 'The Kafka controllers to connect to.', arg: 'required', describedAs: 'controller to connect to' },
  { name: 'command-config', description: 'Property file containing configs to be passed to Admin Client.', arg: 'required', describedAs: 'command config property file' },
  { name: 'entity-type', description: 'Type of entity (topics/clients/users/brokers/broker-loggers/client-metrics/groups)', arg: 'required', describedAs: 'entity-type', complete: ['topics', 'brokers'] },
  { name: 'entity-name', description: 'Name of entity (topic name/client id/user principal name/broker id/group id)', arg: 'required', describedAs: 'entity-name', complete: 'topic' },
  { name: 'entity-default', description: 'Default entity name for clients/users/brokers/ips (applies to corresponding entity type)' },
  { name: 'topic', description: "The topic's name. Equivalent to --entity-type topics --entity-name <topic>.", arg: 'required', describedAs: 'topic', complete: 'topic' },
  { name: 'broker', description: "The broker's ID. Equivalent to --entity-type brokers --entity-name <broker>.", arg: 'required', describedAs: 'broker-id', complete: 'broker' },
  { name: 'broker-defaults', description: 'The config defaults for all brokers. Equivalent to --entity-type brokers --entity-default.' },
  { name: 'describe', description: 'List configs for the given entity.' },
  { name: 'alter', description: 'Alter the configuration for the entity.' },
  { name: 'all', description: 'List all configs for the given entity, including static configs if available.' },
  { name: 'add-config', description: "Key Value pairs of configs to add. Square brackets can be used to group values which contain commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'.", arg: 'required', describedAs: 'config', complete: 'config' },
  { name: 'add-config-file', description: 'Path to a properties file with configs to add.', arg: 'required' },
  { name: 'delete-config', description: 'config keys to remove: \'k1,k2\'', arg: 'required', describedAs: 'config' },
  { name: 'force', description: 'Suppress console prompts' },
];

function checkArgs(opts: ParsedOptions): void {
  const actions = ['describe', 'alter'].filter((a) => opts.has(a));
  if (actions.length !== 1) throw new UsageError('Command must include exactly one action: --describe, --alter', 'for example: kafka-configs --bootstrap-server localhost:9092 --entity-type topics --entity-name orders --describe');
  const type = opts.value('entity-type');
  if (type !== undefined && !['topics', 'brokers', 'clients', 'users', 'broker-loggers', 'client-metrics', 'groups', 'ips'].includes(type)) {
    throw new UsageError(`Invalid entity type ${type}, the entity type must be one of topics, clients, users, brokers, broker-loggers, ips, client-metrics, groups`);
  }
  if (opts.has('alter') && !opts.has('add-config') && !opts.has('delete-config') && !opts.has('add-config-file')) {
    throw new UsageError('At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter');
  }
}

export const kafkaConfigs = kafkaTool({
  name: 'kafka-configs',
  summary: 'Describe or alter topic and broker configs',
  description: 'This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip, client-metrics or group',
  options: OPTIONS,
  errorPrefix: 'Error while executing config command with args ',
  bootstrap: 'missing-required',
  check: checkArgs,
  async run() {
    throw notAvailable('Describing and altering configs');
  },
});
