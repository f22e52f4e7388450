import { describe, expect, it } from 'vitest';
import { LabFiles, MAX_FILES } from '../files';
import { newTestLab } from '../testing';

describe('ls, cat, write and rm', () => {
  it('writes, lists, prints and removes a file', async () => {
    const lab = await newTestLab();
    expect((await lab.run('ls')).output).toMatch(/^This lab has no files yet\./);
    expect(await lab.run(`write topics.json '{"version":1,"topics":[{"topic":"orders"}]}'`)).toEqual({ code: 0, output: 'Wrote topics.json.\n' });
    expect((await lab.run('ls')).output).toBe('    44 topics.json\n');
    expect((await lab.run('cat ./topics.json')).output).toBe('{"version":1,"topics":[{"topic":"orders"}]}\n');
    expect((await lab.run(`write topics.json '{}'`)).output).toBe('Replaced topics.json.\n');
    expect((await lab.run('rm topics.json')).code).toBe(0);
    const missing = await lab.run('cat topics.json');
    expect(missing.code).toBe(1);
    expect(missing.output.split('\n')[0]).toBe('topics.json (No such file or directory)');
  });

  it('refuses JSON that does not parse, names with folders, and too many files', async () => {
    const lab = await newTestLab();
    const bad = await lab.run(`write plan.json {"version":1`);
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/^write: plan\.json would not hold valid JSON/);
    expect((await lab.run(`write a/b.txt x`)).output).toMatch(/^a\/b\.txt: not a valid lab file name/);
    for (let i = 0; i < MAX_FILES; i++) lab.files.write(`f${i}.txt`, 'x');
    expect((await lab.run('write one-more.txt x')).output).toMatch(/no space left/);
  });

  it('shares files between terminals of one lab and starts from a lesson preset', () => {
    const files = new LabFiles({ 'reassign.json': '{"version":1,"partitions":[]}' });
    expect(files.read('/tmp/reassign.json')).toBe('{"version":1,"partitions":[]}');
    expect(() => files.write('big.txt', 'x'.repeat(70_000))).toThrow(/file too large/);
  });
});
