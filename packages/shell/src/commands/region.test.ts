import { describe, expect, it } from 'vitest';
import { newTestLab } from '../testing';

describe('region', () => {
  it('lists regions by rack and slows acks=all writes that cross them', async () => {
    const lab = await newTestLab({ brokers: 4, racks: ['east', 'east', 'west', 'west'] });
    expect((await lab.run('region')).output).toBe('REGION RACKS BROKERS\neast   east  1,2\nwest   west  3,4\n');
    await lab.run('kafka-topics --bootstrap-server localhost:9092 --create --topic orders --replica-assignment 1:3');
    const timed = async (): Promise<number> => {
      const before = lab.cluster.nowMs();
      await lab.run('kafka-console-producer --bootstrap-server localhost:9092 --topic orders --message x');
      return lab.cluster.nowMs() - before;
    };
    const near = await timed();
    expect((await lab.run('region latency 40')).output).toBe('Every message between brokers of different regions now takes 40 ms longer, each way.\n');
    const far = await timed();
    expect(far).toBeGreaterThanOrEqual(near + 40);
    expect((await lab.run('region latency -5')).code).not.toBe(0);
  });
});
