/**
 * The command table, in the order `help` lists it: Kafka's tools first, then the lab's.
 */
import type { Command } from '../command';
import { broker } from './broker';
import { cat } from './cat';
import { clear } from './clear';
import { clientsCommand } from './clients';
import { controller } from './controller';
import { controllerCompare } from './controller-compare';
import { disk } from './disk';
import { help } from './help';
import { kafkaConfigs } from './kafka-configs';
import { kafkaConsoleConsumer } from './kafka-console-consumer';
import { kafkaConsoleProducer } from './kafka-console-producer';
import { kafkaConsumerGroups } from './kafka-consumer-groups';
import { kafkaConsumerPerfTest } from './kafka-consumer-perf-test';
import { kafkaDumpLog } from './kafka-dump-log';
import { kafkaLeaderElection } from './kafka-leader-election';
import { kafkaProducerPerfTest } from './kafka-producer-perf-test';
import { kafkaReassignPartitions } from './kafka-reassign-partitions';
import { kafkaTransactions } from './kafka-transactions';
import { kafkaGetOffsets } from './kafka-get-offsets';
import { kafkaMetadataQuorum } from './kafka-metadata-quorum';
import { kafkaTopics } from './kafka-topics';
import { lab } from './lab';
import { ls } from './ls';
import { network } from './network';
import { mirror } from './mirror';
import { region } from './region';
import { rm } from './rm';
import { time } from './time';
import { trace } from './trace';
import { write } from './write';

export const COMMANDS: readonly Command[] = [
  kafkaTopics,
  kafkaConfigs,
  kafkaConsoleProducer,
  kafkaConsoleConsumer,
  kafkaConsumerGroups,
  kafkaGetOffsets,
  kafkaDumpLog,
  kafkaLeaderElection,
  kafkaReassignPartitions,
  kafkaMetadataQuorum,
  kafkaTransactions,
  kafkaProducerPerfTest,
  kafkaConsumerPerfTest,
  broker,
  controller,
  controllerCompare,
  network,
  region,
  mirror,
  disk,
  time,
  clientsCommand,
  trace,
  lab,
  ls,
  cat,
  write,
  rm,
  help,
  clear,
];
