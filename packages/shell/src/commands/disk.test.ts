import { describe, expect, it } from 'vitest';
import { newTestLab } from '../testing';

describe('disk', () => {
  it('slows a node disk and restores it', async () => {
    const lab = await newTestLab();
    expect(await lab.run('disk slow 2 500')).toEqual({ code: 0, output: 'Disk writes on node 2 now take 500 ms longer.\n' });
    expect(await lab.run('disk slow 2 0')).toEqual({ code: 0, output: 'Disk of node 2 is back to normal speed.\n' });
    expect((await lab.run('disk slow 2')).output).toBe('the disk delay in ms must be a number between 0 and 600000\nhint: `help disk` shows how to use it\n');
    expect((await lab.run('disk fast 2')).code).toBe(1);
  });
});
