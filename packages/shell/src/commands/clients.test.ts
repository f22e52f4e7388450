import { describe, expect, it } from 'vitest';
import { newTestLab } from '../testing';
import type { ConsumersRequest, LabClientInfo, LabClients, ProducerRequest } from '../types';

/** A host-side client registry that records what the shell asked for. */
function recordingClients(): LabClients & { consumers: ConsumersRequest[]; producers: ProducerRequest[] } {
  const running: LabClientInfo[] = [];
  const consumers: ConsumersRequest[] = [];
  const producers: ProducerRequest[] = [];
  return {
    consumers,
    producers,
    async startConsumers(request) {
      consumers.push(request);
      const names = Array.from({ length: request.count }, (_, i) => `${request.group}-${i + 1}`);
      for (const name of names) running.push({ name, kind: 'consumer', description: `group=${request.group} topic=${request.topic}`, state: 'stable' });
      return names;
    },
    async startProducer(request) {
      producers.push(request);
      const name = `producer-${producers.length}`;
      running.push({ name, kind: 'producer', description: `topic=${request.topic} ${request.rate} rec/s`, state: 'sending' });
      return name;
    },
    list: () => running,
    async stop(name) {
      const before = running.length;
      for (let i = running.length - 1; i >= 0; i--) if (name === 'all' || running[i]?.name === name) running.splice(i, 1);
      return before - running.length;
    },
  };
}

describe('clients', () => {
  it('starts consumers and producers through the host and lists them', async () => {
    const clients = recordingClients();
    const lab = await newTestLab({}, { clients });
    expect(await lab.run('clients consumers --group g --topic orders --count 2 --assignor cooperative-sticky --static')).toEqual({ code: 0, output: 'Started 2 consumers in group g: g-1, g-2\n' });
    expect(clients.consumers).toEqual([{ group: 'g', topic: 'orders', count: 2, assignor: 'cooperative-sticky', static: true }]);
    expect(await lab.run('clients producer --topic orders --rate 5 --acks all --idempotent')).toEqual({ code: 0, output: 'Started producer producer-1.\n' });
    expect(clients.producers).toEqual([{ topic: 'orders', rate: 5, acks: 'all', idempotent: true }]);
    const list = (await lab.run('clients list')).output.trimEnd().split('\n');
    expect(list[0]).toMatch(/^NAME +KIND +STATE +DETAILS$/);
    expect(list).toHaveLength(4);
    expect(await lab.run('clients stop g-1')).toEqual({ code: 0, output: 'Stopped 1 client.\n' });
    expect(await lab.run('clients stop all')).toEqual({ code: 0, output: 'Stopped 2 clients.\n' });
    expect((await lab.run('clients stop nobody')).code).toBe(1);
  });

  it('checks the arguments', async () => {
    const lab = await newTestLab({}, { clients: recordingClients() });
    expect((await lab.run('clients consumers --topic t --count 1')).output).toBe('Missing required argument "[group]"\nhint: add --group <value>\n');
    expect((await lab.run('clients consumers --group g --topic t --count 1 --assignor fair')).output).toBe("unknown assignor 'fair'\nhint: one of: range, roundrobin, sticky, cooperative-sticky\n");
    expect((await lab.run('clients producer --topic t --rate 5 --acks 2')).code).toBe(1);
    const bare = await newTestLab();
    expect((await bare.run('clients list')).output).toBe('Built-in clients are not available in this terminal.\nhint: they run in a lab terminal\n');
  });
});
