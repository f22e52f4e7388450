import { describe, expect, it } from 'vitest';
import { compareControllers } from '@kil/engine';
import { compactCount, ControllerComparisonView, controllerChartModel, durationLabel, niceCeilingMs } from './ControllerComparisonView';
import { attr, count, render, subtree, tagWith, text } from './test-utils';

const comparison = compareControllers();

describe('ControllerComparisonView', () => {
  it('places partition counts on a log scale: equal ratios are equal distances', () => {
    const chart = controllerChartModel(compareControllers({ partitionCounts: [1000, 10_000, 100_000] }));
    const [x1, x2, x3] = chart.xTicks.map((t) => t.x);
    expect(x2! - x1!).toBeCloseTo(x3! - x2!, 6);
    expect(x1!).toBeLessThan(x2!);
  });

  it('puts the ZooKeeper line above the KRaft line and scales y to a round ceiling over the slowest point', () => {
    const chart = controllerChartModel(comparison);
    const zk = chart.points.filter((p) => p.series === 'zookeeper');
    const kraft = chart.points.filter((p) => p.series === 'kraft');
    // SVG y grows downwards: a slower point is drawn higher, with a smaller y.
    zk.forEach((p, i) => expect(p.y).toBeLessThan(kraft[i]!.y));
    const slowest = Math.max(...zk.map((p) => p.ms));
    expect(chart.yMaxMs).toBeGreaterThanOrEqual(slowest);
    expect(chart.yMaxMs).toBeLessThan(slowest * 2.5);
    expect([niceCeilingMs(53_700), niceCeilingMs(2050), niceCeilingMs(100)]).toEqual([100_000, 5000, 100]);
  });

  it('draws both series with one point per partition count, labelled axes and a legend', () => {
    const html = render(<ControllerComparisonView comparison={comparison} />);
    expect(count(html, '<circle')).toBe(2 * comparison.rows.length);
    expect(count(html, '<polyline')).toBe(2);
    const last = comparison.rows.at(-1)!;
    expect(attr(tagWith(html, 'data-partitions', String(last.partitions)), 'data-ms')).toBe(String(last.zookeeper.totalMs));
    const words = text(html);
    expect(words).toContain('partitions in the cluster (log scale)');
    expect(words).toContain('time (virtual)');
    expect(words).toContain('ZooKeeper-era controller');
    expect(words).toContain('200k');
    expect(html).toMatch(/role="img" aria-label="Controller failover after a crash: at 200000 partitions ZooKeeper mode takes [\d.]+ s, KRaft [\d.]+ s"/);
  });

  it('repeats every number in an accessible table with header cells', () => {
    const html = render(<ControllerComparisonView comparison={comparison} />);
    const table = subtree(html, 'data-testid', 'controller-comparison-table');
    expect(table).toContain('<caption>');
    expect(count(table, 'scope="col"')).toBe(4);
    expect(count(table, 'scope="row"')).toBe(comparison.rows.length);
    const row = subtree(table, 'data-row', '200000');
    const last = comparison.rows.at(-1)!;
    expect(text(row)).toBe(`200,000 ${durationLabel(last.zookeeper.totalMs)} ${durationLabel(last.kraft.totalMs)} ${last.ratio.toFixed(1)}×`);
  });

  it('lists both metadata paths: ZooKeeper reads and pushes, KRaft brokers pull', () => {
    const html = render(<ControllerComparisonView comparison={comparison} />);
    const zk = subtree(html, 'data-path', 'zookeeper');
    expect(count(zk, 'data-style="read"')).toBe(3);
    expect(text(zk)).toContain('controller → every broker: UpdateMetadata (all partitions) (push, × 30)');
    const kraft = subtree(html, 'data-path', 'kraft');
    expect(kraft).not.toContain('data-style="read"');
    expect(text(kraft)).toContain('every broker → new leader: Fetch __cluster_metadata (new records only) (pull, × 30)');
  });

  it('titles a controlled-shutdown comparison as such', () => {
    const html = render(<ControllerComparisonView comparison={compareControllers({ scenario: 'controlled-shutdown', partitionCounts: [1000, 200_000] })} />);
    expect(text(html)).toContain('Controlled shutdown of one broker: time against partition count');
    expect([compactCount(1000), compactCount(50_000), compactCount(2_000_000), compactCount(500)]).toEqual(['1k', '50k', '2M', '500']);
    expect([durationLabel(49), durationLabel(2050), durationLabel(53_712), durationLabel(378_000)]).toEqual(['49 ms', '2.05 s', '53.7 s', '6.3 min']);
  });
});
