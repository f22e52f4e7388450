import { afterEach, describe, expect, it } from 'vitest';
import { LabCapacityError, LabManager } from './manager';

const managers: LabManager[] = [];
afterEach(() => {
  for (const manager of managers.splice(0)) manager.dispose();
});

function manager(options: ConstructorParameters<typeof LabManager>[0] = {}): LabManager {
  const m = new LabManager(options);
  managers.push(m);
  return m;
}

describe('LabManager', () => {
  it('keeps one lab per session and place, each in the shape its place asks for', async () => {
    const m = manager();
    const sandbox = await m.labFor('session-a', 'sandbox');
    const module = await m.labFor('session-a', 'module:data-replication', { brokers: 4 });
    expect(await m.labFor('session-a', 'sandbox')).toBe(sandbox);
    expect(module).not.toBe(sandbox);
    expect(module.clusterApi.snapshot().brokers).toHaveLength(4);
    expect(await m.labFor('session-b', 'sandbox')).not.toBe(sandbox);
    expect(m.size).toBe(3);
  });

  it('bounds the labs of one session, evicting the least recently used detached one', async () => {
    const m = manager({ labsPerSessionMax: 2 });
    const first = await m.labFor('s', 'module:a');
    first.lastActiveWallMs -= 1000;
    await m.labFor('s', 'module:b');
    await m.labFor('s', 'module:c');
    expect(m.size).toBe(2);
    expect(await m.labFor('s', 'module:a')).not.toBe(first);
  });

  it('refuses a new lab when every lab of the session is in use', async () => {
    const m = manager({ labsPerSessionMax: 1 });
    const lab = await m.labFor('s', 'module:a');
    lab.attach({ send: () => {} });
    await expect(m.labFor('s', 'module:b')).rejects.toBeInstanceOf(LabCapacityError);
    expect(await m.labFor('other', 'module:b')).toBeDefined();
  });
});
