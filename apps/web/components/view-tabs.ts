/** The lab panel's picture tabs, in order; kept apart from the pictures so the panel can load them on demand. */
export const viewTabs = ['cluster', 'replication', 'quorum', 'timeline', 'tables'] as const;
export type ViewKind = (typeof viewTabs)[number] | 'group' | 'transactions' | 'compaction' | 'tiering' | 'request' | 'reassignment' | 'mirroring';
