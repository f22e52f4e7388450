import { describe, expect, it } from 'vitest';
import { CompactionView, compactionModel, type CompactionRecordModel } from './CompactionView';
import { attr, count, render, subtree, tagWith } from './test-utils';

const records: CompactionRecordModel[] = [
  { offset: 0, key: 'a', value: '1' },
  { offset: 1, key: 'b', value: '1' },
  { offset: 2, key: 'a', value: '2' },
  { offset: 3, key: 'c', value: '1' },
  { offset: 4, key: 'b', value: null },
  { offset: 5, key: 'a', value: '3' },
  { offset: 6, key: 'c', value: '2' },
];

describe('compactionModel', () => {
  it('keeps the latest record per key and never touches the active segment', () => {
    const m = compactionModel('users', 0, records, { activeSegmentBaseOffset: 5 });
    expect(m.after.map((r) => r.offset)).toEqual([2, 3, 4, 5, 6]);
    expect([...m.removed.entries()]).toEqual([
      [0, 'superseded'],
      [1, 'superseded'],
    ]);
  });

  it('drops tombstones once delete.retention.ms has passed', () => {
    const m = compactionModel('users', 0, records, { activeSegmentBaseOffset: 5, dropTombstones: true });
    expect(m.removed.get(4)).toBe('tombstone-expired');
    expect(m.after.map((r) => r.offset)).toEqual([2, 3, 5, 6]);
  });

  it('computes the dirty ratio from the cleaner checkpoint', () => {
    expect(compactionModel('users', 0, records, { activeSegmentBaseOffset: 5, firstDirtyOffset: 3 }).dirtyRatio).toBeCloseTo(2 / 5);
    expect(compactionModel('users', 0, records, { activeSegmentBaseOffset: 5 }).dirtyRatio).toBe(1);
  });
});

describe('CompactionView', () => {
  it('draws before and after, marking superseded records, tombstones and the active segment', () => {
    const html = render(<CompactionView model={compactionModel('users', 0, records, { activeSegmentBaseOffset: 5, firstDirtyOffset: 3 })} />);
    const before = subtree(html, 'data-testid', 'compaction-before');
    expect(count(before, 'data-offset=')).toBe(7);
    expect(attr(tagWith(before, 'data-offset', '0'), 'data-status')).toBe('superseded');
    expect(attr(tagWith(before, 'data-offset', '4'), 'data-status')).toBe('tombstone');
    expect(attr(tagWith(before, 'data-offset', '6'), 'data-status')).toBe('active');
    expect(count(subtree(html, 'data-testid', 'compaction-after'), 'data-offset=')).toBe(5);
    expect(attr(tagWith(html, 'data-testid', 'compaction-view'), 'data-eligible')).toBe('false');
    expect(html).toContain('dirty ratio 0.40 &lt; min.cleanable.dirty.ratio 0.5');
  });
});
