/**
 * `--bootstrap-server` checked against the lab's listeners. A Kafka client only needs one
 * reachable address from the list: it asks that broker for metadata and then talks to the
 * leaders directly. So we accept the list when at least one entry names a running broker.
 * Deviation: a real client retries unknown or dead addresses until a timeout; we say at
 * once which addresses exist, because waiting teaches nothing here.
 */
import type { BrokerSnapshot, ClusterSnapshot } from '@kil/engine';
import { ShellError } from './errors';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** The broker an address reaches, or undefined when nothing in the lab listens there. */
export function brokerAt(address: string, snapshot: ClusterSnapshot): BrokerSnapshot | undefined {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).toLowerCase();
  const port = Number(address.slice(colon + 1));
  return snapshot.brokers.find((b) => b.port === port && (LOOPBACK.has(host) || b.host.toLowerCase() === host));
}

export function listenersOf(snapshot: ClusterSnapshot): string {
  return snapshot.brokers.map((b) => `localhost:${b.port} (broker ${b.id})`).join(', ');
}

/** Throws a ShellError that explains what is wrong with the list; returns the brokers it reaches. */
export function checkBootstrap(value: string, snapshot: ClusterSnapshot): BrokerSnapshot[] {
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (entries.length === 0) throw new ShellError('No resolvable bootstrap urls given in bootstrap.servers', `try --bootstrap-server localhost:9092`);
  for (const entry of entries) {
    if (!/^[^:\s]+:\d+$/.test(entry) && !/^\[[^\]]+\]:\d+$/.test(entry)) {
      throw new ShellError(`Invalid url in bootstrap.servers: ${entry}`, `write host:port, for example localhost:9092`);
    }
  }
  const reached = entries.map((e) => brokerAt(e, snapshot)).filter((b): b is BrokerSnapshot => b !== undefined);
  if (reached.length === 0) {
    throw new ShellError(
      `Could not connect to ${entries.join(',')}: no broker of this lab listens there.`,
      `the lab's brokers listen on ${listenersOf(snapshot)}`,
    );
  }
  const live = reached.filter((b) => b.state === 'running' || b.state === 'fenced');
  if (live.length === 0) {
    const other = snapshot.brokers.find((b) => b.state === 'running');
    const down = reached.map((b) => `broker ${b.id} (${b.state})`).join(', ');
    throw new ShellError(
      `Timed out waiting for a node assignment: ${down} cannot answer.`,
      other
        ? `bootstrap from a running broker, e.g. --bootstrap-server localhost:${other.port}, or \`broker start ${reached[0]?.id}\``
        : `no broker is running; \`broker start ${reached[0]?.id}\` brings one back`,
    );
  }
  return live;
}
