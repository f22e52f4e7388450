import { describe, expect, it } from 'vitest';
import { logStoreContract } from './store-contract';
import { MemoryLogStore } from './store';

describe('LogStore contract: MemoryLogStore', () => {
  for (const c of logStoreContract) it(c.name, () => c.run(() => new MemoryLogStore()));
});

describe('MemoryLogStore internals', () => {
  it('reads across chunk boundaries of large files', () => {
    const s = new MemoryLogStore();
    const block = Uint8Array.from({ length: 3000 }, (_, i) => i % 251);
    for (let i = 0; i < 10; i++) s.append('d', 'f', block);
    const got = s.read('d', 'f', 2500, 9000);
    expect(got.length).toBe(9000);
    for (let i = 0; i < got.length; i++) expect(got[i]).toBe((2500 + i) % 3000 % 251);
  });
});
