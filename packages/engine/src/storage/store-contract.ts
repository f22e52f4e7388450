/**
 * The LogStore contract: one list of cases every LogStore implementation must pass (the
 * in-memory store here, the node:fs store in packages/lab). Cases throw on failure, so any test
 * runner can drive them: `for (const c of logStoreContract) it(c.name, () => c.run(makeStore))`.
 * Later cases drive a whole Log over the store, since the Log is what the store is for.
 */
import { assert } from '../assert';
import { KafkaError } from '../errors';
import { defaultLogConfig } from './config';
import { Log } from './log';
import { encodeRecordBatch } from './records';
import type { LogStore } from './store';

export interface StoreContractCase {
  name: string;
  run: (makeStore: () => LogStore) => void;
}

const bytes = (...xs: number[]) => new Uint8Array(xs);
const text = (b: Uint8Array) => [...b].join(',');

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  assert(a === e, `${what}: expected ${e}, got ${a}`);
}

function batchOf(n: number, ts = 1000): Uint8Array {
  return encodeRecordBatch({ records: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `v${i}`, timestamp: ts + i })) });
}

export const logStoreContract: StoreContractCase[] = [
  {
    name: 'append, size and read return what was written',
    run: (make) => {
      const s = make();
      s.append('t-0', 'a.log', bytes(1, 2, 3));
      s.append('t-0', 'a.log', bytes(4, 5));
      expectEqual(s.size('t-0', 'a.log'), 5, 'size');
      expectEqual(text(s.read('t-0', 'a.log', 1, 3)), '2,3,4', 'read');
      expectEqual(text(s.read('t-0', 'a.log', 3, 100)), '4,5', 'read past the end is short');
      expectEqual(s.read('t-0', 'a.log', 5, 10).length, 0, 'read at the end is empty');
    },
  },
  {
    name: 'list is sorted and scoped to its directory; missing directories list as empty',
    run: (make) => {
      const s = make();
      s.append('t-0', 'b.log', bytes(1));
      s.append('t-0', 'a.log', bytes(1));
      s.append('t-1', 'c.log', bytes(1));
      expectEqual(s.list('t-0'), ['a.log', 'b.log'], 'list');
      expectEqual(s.list('nope-0'), [], 'missing dir');
      assert(s.exists('t-1', 'c.log') && !s.exists('t-1', 'a.log'), 'exists');
    },
  },
  {
    name: 'a missing file is a KAFKA_STORAGE_ERROR',
    run: (make) => {
      const s = make();
      let caught: unknown;
      try {
        s.size('t-0', 'ghost.log');
      } catch (e) {
        caught = e;
      }
      assert(caught instanceof KafkaError && caught.errorName === 'KAFKA_STORAGE_ERROR', 'size of a missing file throws KAFKA_STORAGE_ERROR');
    },
  },
  {
    name: 'crash keeps flushed bytes and loses the rest',
    run: (make) => {
      const s = make();
      s.append('t-0', 'a.log', bytes(1, 2));
      s.flush('t-0', 'a.log');
      s.append('t-0', 'a.log', bytes(3, 4));
      expectEqual(s.unflushedBytes('t-0', 'a.log'), 2, 'unflushed');
      s.crash();
      expectEqual(text(s.read('t-0', 'a.log', 0, 10)), '1,2', 'after crash');
      expectEqual(s.unflushedBytes('t-0', 'a.log'), 0, 'nothing unflushed after crash');
    },
  },
  {
    name: 'crash of one directory leaves the others alone',
    run: (make) => {
      const s = make();
      s.append('t-0', 'a.log', bytes(1));
      s.append('t-1', 'a.log', bytes(2));
      s.crash('t-0');
      expectEqual(s.size('t-0', 'a.log'), 0, 'crashed dir');
      expectEqual(s.size('t-1', 'a.log'), 1, 'other dir');
    },
  },
  {
    name: 'writeAtomic is durable at once and replaces the content',
    run: (make) => {
      const s = make();
      s.writeAtomic('', 'checkpoint', bytes(9, 9, 9));
      s.writeAtomic('', 'checkpoint', bytes(7));
      s.crash();
      expectEqual(text(s.read('', 'checkpoint', 0, 10)), '7', 'checkpoint after crash');
    },
  },
  {
    name: 'truncate is durable and bytes read before it stay unchanged',
    run: (make) => {
      const s = make();
      s.append('t-0', 'a.log', bytes(1, 2, 3, 4));
      s.flush('t-0', 'a.log');
      const before = s.read('t-0', 'a.log', 0, 4);
      s.truncate('t-0', 'a.log', 1);
      s.append('t-0', 'a.log', bytes(8, 8, 8));
      expectEqual(text(before), '1,2,3,4', 'earlier read is a stable snapshot');
      s.crash();
      expectEqual(text(s.read('t-0', 'a.log', 0, 10)), '1', 'truncation survives, later append does not');
    },
  },
  {
    name: 'rename and delete',
    run: (make) => {
      const s = make();
      s.append('t-0', 'a.cleaned', bytes(5));
      s.rename('t-0', 'a.cleaned', 'a.log');
      assert(!s.exists('t-0', 'a.cleaned') && s.exists('t-0', 'a.log'), 'renamed');
      s.delete('t-0', 'a.log');
      expectEqual(s.list('t-0'), [], 'deleted');
    },
  },
  {
    name: 'a log over the store writes Kafka file names and reads back after a restart',
    run: (make) => {
      const s = make();
      const config = { ...defaultLogConfig, segmentBytes: 600 };
      const log = new Log({ topic: 'orders', partition: 0, config, store: s, nowMs: () => 5000 });
      for (let i = 0; i < 6; i++) log.appendAsLeader(batchOf(3), 0);
      log.flush();
      const files = s.list('orders-0');
      assert(files.includes('00000000000000000000.log') && files.includes('00000000000000000000.index') && files.includes('00000000000000000000.timeindex'), `segment files present: ${files.join(' ')}`);
      assert(files.includes('leader-epoch-checkpoint'), 'leader epoch checkpoint present');
      assert(s.list('').includes('recovery-point-offset-checkpoint'), 'recovery point checkpoint present');
      const again = new Log({ topic: 'orders', partition: 0, config, store: s, nowMs: () => 6000 });
      expectEqual(again.logEndOffset, 18, 'LEO after restart');
      expectEqual(again.segments().length, log.segments().length, 'segments after restart');
      expectEqual(again.read(7, { maxBytes: 1 }).firstOffset, 6, 'read from the batch holding offset 7');
    },
  },
  {
    name: 'a log crash loses exactly the unflushed batches',
    run: (make) => {
      const s = make();
      const log = new Log({ topic: 'orders', partition: 1, config: defaultLogConfig, store: s, nowMs: () => 0 });
      log.appendAsLeader(batchOf(2), 0);
      log.flush();
      log.appendAsLeader(batchOf(2), 0);
      log.crash();
      expectEqual([log.logEndOffset, log.recoveryPoint], [2, 2], 'LEO and recovery point after crash');
    },
  },
];
