/**
 * DescribeQuorum (api key 55): versions 0–1, flexible from v0.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface DescribeQuorumRequest {
  topics: DescribeQuorumRequestTopicData[];
}

export interface DescribeQuorumRequestTopicData {
  topicName: string;
  partitions: DescribeQuorumRequestPartitionData[];
}

export interface DescribeQuorumRequestPartitionData {
  partitionIndex: number;
}

export interface DescribeQuorumResponse {
  errorCode: number;
  topics: DescribeQuorumResponseTopicData[];
}

export interface DescribeQuorumResponseTopicData {
  topicName: string;
  partitions: DescribeQuorumResponsePartitionData[];
}

export interface DescribeQuorumResponsePartitionData {
  partitionIndex: number;
  errorCode: number;
  leaderId: number;
  leaderEpoch: number;
  highWatermark: number;
  currentVoters: DescribeQuorumResponseReplicaState[];
  observers: DescribeQuorumResponseReplicaState[];
}

export interface DescribeQuorumResponseReplicaState {
  replicaId: number;
  logEndOffset: number;
  /** v1+ */ lastFetchTimestamp: number;
  /** v1+ */ lastCaughtUpTimestamp: number;
}

export const describeQuorumApi = defineApi<DescribeQuorumRequest, DescribeQuorumResponse>({
  apiKey: 55,
  name: 'DescribeQuorum',
  versions: '0-1',
  flexibleVersions: '0+',
  request: [
    list('topics', '0+', [f('topicName', 'string', '0+'), list('partitions', '0+', [f('partitionIndex', 'int32', '0+')])]),
  ],
  response: [
    f('errorCode', 'int16', '0+'),
    list('topics', '0+', [
      f('topicName', 'string', '0+'),
      list('partitions', '0+', [
        f('partitionIndex', 'int32', '0+'),
        f('errorCode', 'int16', '0+'),
        f('leaderId', 'int32', '0+'),
        f('leaderEpoch', 'int32', '0+'),
        f('highWatermark', 'int64', '0+'),
        list('currentVoters', '0+', [
          f('replicaId', 'int32', '0+'),
          f('logEndOffset', 'int64', '0+'),
          f('lastFetchTimestamp', 'int64', '1+', { default: -1 }),
          f('lastCaughtUpTimestamp', 'int64', '1+', { default: -1 }),
        ]),
        list('observers', '0+', [
          f('replicaId', 'int32', '0+'),
          f('logEndOffset', 'int64', '0+'),
          f('lastFetchTimestamp', 'int64', '1+', { default: -1 }),
          f('lastCaughtUpTimestamp', 'int64', '1+', { default: -1 }),
        ]),
      ]),
    ]),
  ],
});
