import type { Metadata } from 'next';
import { ClusterViewBench } from './ClusterViewBench';

export const metadata: Metadata = { title: 'Cluster view frame benchmark · Kafka Internals Lab', robots: { index: false } };

/** A fixed page for `npm run bench` (scripts/bench/ui-frames.ts); it serves no learner. */
export default function ClusterViewBenchPage() {
  return <ClusterViewBench />;
}
