/**
 * Every exercise manifest, in course order. The grading CLI, the solution tests and the
 * site's server load this file; the site's pages get a public view of it at run time.
 */
import type { ExerciseManifest } from '@kil/grader';
import { consumerGroups } from './01-consumer-groups/exercise';
import { transactions } from './02-transactions/exercise';
import { tieredStorage } from './03-tiered-storage/exercise';
import { geoReplication } from './04-geo-replication/exercise';

export const exercises: readonly ExerciseManifest[] = [consumerGroups, transactions, tieredStorage, geoReplication];

/** Folder name per exercise id, to find README.mdx, starter/ and solution/. */
export const exerciseFolders: Readonly<Record<string, string>> = {
  'consumer-groups': '01-consumer-groups',
  transactions: '02-transactions',
  'tiered-storage': '03-tiered-storage',
  'geo-replication': '04-geo-replication',
};
