/**
 * Direct manipulation: a view never changes the cluster itself. When the learner clicks
 * a node, the view hands the equivalent terminal command to the host (`onAction`), which
 * types it into the terminal, so every click also teaches the command line.
 */
import type { NodeState } from '@kil/engine';

/** Called with a shell command line, e.g. "broker stop 2". */
export type ActionHandler = (command: string) => void;

export type NodeKind = 'broker' | 'controller';

export interface NodeAction {
  readonly command: string;
  /** A short verb for a menu or a tooltip. */
  readonly label: string;
}

/** Whether the node is up from the learner's point of view (a fenced broker still runs). */
export function nodeIsUp(state: NodeState): boolean {
  return state === 'running' || state === 'fenced' || state === 'starting';
}

/** Every lab command that applies to a node in its current state; the first is the primary one. */
export function nodeActions(kind: NodeKind, id: number, state: NodeState): readonly NodeAction[] {
  if (nodeIsUp(state)) {
    return [
      { command: `${kind} stop ${id}`, label: 'stop (controlled shutdown)' },
      { command: `${kind} crash ${id}`, label: 'crash (hard kill)' },
    ];
  }
  return [{ command: `${kind} start ${id}`, label: 'start' }];
}

/** The command a click (or Enter) on the node runs. */
export function primaryNodeAction(kind: NodeKind, id: number, state: NodeState): NodeAction {
  const first = nodeActions(kind, id, state)[0];
  // nodeActions always returns at least one action; this keeps the compiler satisfied.
  return first ?? { command: `${kind} start ${id}`, label: 'start' };
}

/** Preferred leader election for one partition, as kafka-leader-election spells it. */
export function preferredElectionCommand(topic: string, partition: number): string {
  return `kafka-leader-election --bootstrap-server localhost:9092 --election-type preferred --topic ${topic} --partition ${partition}`;
}
