import { describe, expect, it } from 'vitest';
import { BrokersTable, ControllersTable, PartitionsTable, ReplicasTable } from './DataTables';
import { snapshot, stopTrace } from './test-fixtures';
import { attr, count, render, subtree, tagWith, text } from './test-utils';

/** The cell texts of one table row. */
function rowText(html: string, key: string): string {
  return text(subtree(html, 'data-row', key));
}

describe('DataTables', () => {
  it('lists brokers with state, epoch, metadata offset and how much each leads', () => {
    const html = render(<BrokersTable snapshot={snapshot} />);
    expect(html).toContain('<caption>Brokers</caption>');
    expect(count(html, '<th scope="col">')).toBe(8);
    expect(rowText(html, 'broker-1')).toBe('1 running rack-a localhost:9092 11 118 1 3');
    expect(rowText(html, 'broker-2')).toBe('2 stopped rack-b localhost:9093 12 96 0 4');
    expect(attr(tagWith(html, 'data-row', 'broker-2'), 'data-flag')).toBe('bad');
  });

  it('lists controllers with role, epoch, vote and offsets', () => {
    const html = render(<ControllersTable snapshot={snapshot} />);
    expect(rowText(html, 'controller-101')).toBe('101 running leader 4 101 101 120 118');
  });

  it('lists partitions with leader, ISR and health, flagging the unhealthy ones', () => {
    const html = render(<PartitionsTable snapshot={snapshot} />);
    expect(count(html, 'data-row=')).toBe(3);
    expect(rowText(html, 'orders-0')).toBe('orders-0 1 3 2, 1, 3 1, 3 under-replicated 0 10 10 12 —');
    expect(attr(tagWith(html, 'data-row', 'orders-2'), 'data-flag')).toBe('bad');
    expect(render(<PartitionsTable snapshot={{ ...snapshot, topics: [] }} />)).toContain('No topics yet');
  });

  it('is the table twin of the replication view', () => {
    const html = render(<ReplicasTable snapshot={snapshot} topic="orders" partition={0} events={stopTrace} />);
    expect(rowText(html, 'orders-0@1')).toBe('1 leader (epoch 3) yes 0 10 10 12 0 200 ms ago');
    expect(rowText(html, 'orders-0@3')).toBe('3 follower, in ISR yes 0 10 — 10 2 150 ms ago fetching: 2 records behind the leader');
    expect(rowText(html, 'orders-0@2')).toContain('follower, out of sync no 0 8 — 8 4 40.0 s ago broker 2 is stopped');
  });
});
