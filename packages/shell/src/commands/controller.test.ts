import { describe, expect, it } from 'vitest';
import { newTestLab } from '../testing';

describe('controller', () => {
  it('lists the quorum with one leader', async () => {
    const lab = await newTestLab();
    const { code, output } = await lab.run('controller list');
    expect(code).toBe(0);
    const rows = output.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => /^\d+ +running +leader /.test(r))).toHaveLength(1);
  });

  it('crashing the active controller makes another one leader', async () => {
    const lab = await newTestLab();
    const active = lab.cluster.snapshot().activeControllerId;
    expect(active).not.toBeNull();
    const { output } = await lab.run(`controller crash ${active}`);
    expect(output).toBe(`Crashed controller ${active}. It was the active controller: the other voters will elect a new leader.\n`);
    lab.advance(10_000);
    const next = lab.cluster.snapshot().activeControllerId;
    expect(next).not.toBeNull();
    expect(next).not.toBe(active);
    expect((await lab.run(`controller start ${active}`)).output).toBe(`Starting controller ${active}.\n`);
  });

  it('refuses broker ids', async () => {
    const lab = await newTestLab();
    expect((await lab.run('controller stop 1')).output).toBe('There is no controller 1 in this lab (1 is a broker: use `broker` commands).\nhint: controller ids in this lab: 101, 102, 103\n');
  });
});
