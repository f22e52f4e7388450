/**
 * The `clients` command as the lab records it. A built-in producer or consumer is async
 * code on the engine's virtual clock, so the lab does not record the requests it makes:
 * it records the command (start or stop, with its options, at its moment) and a replay
 * runs the same clients from the same moment (docs/adr/0004-time-travel-by-replay.md).
 *
 * What the recording cannot reproduce makes the run unreplayable instead: a command the
 * lab's limits refused (the refusal depends on other labs' and learner code's clients), and
 * a built-in producer's write refused by the wall-clock write rate limit.
 */
import type { ConsumersRequest, LabClientInfo, LabClients, ProducerRequest } from '@kil/shell';
import type { LabLimiter } from './limits';
import { quietPoint, type Recorder } from './recording';

export const refusedClientReason =
  'Rewind and shared links are not available once a lab limit refused a built-in client or its writes: a replay would not be refused the same way. Use "lab reset" to start again.';

export interface RecordedClientsTarget {
  readonly clients: LabClients;
  readonly recorder: Recorder;
}

export class RecordedClients implements LabClients {
  /** `target` is read on every command, so the commands follow a reset or a rewind. */
  constructor(private readonly target: () => RecordedClientsTarget) {}

  startConsumers(request: ConsumersRequest): Promise<readonly string[]> {
    return this.run('startConsumers', request, (clients) => clients.startConsumers(request));
  }

  startProducer(request: ProducerRequest): Promise<string> {
    return this.run('startProducer', request, (clients) => clients.startProducer(request));
  }

  stop(name: string): Promise<number> {
    return this.run('stop', name, (clients) => clients.stop(name));
  }

  list(): readonly LabClientInfo[] {
    return this.target().clients.list();
  }

  private async run<T>(method: string, arg: unknown, command: (clients: LabClients) => Promise<T>): Promise<T> {
    const { clients, recorder } = this.target();
    recorder.call(`lab.clients.${method}`, [arg]);
    try {
      return await command(clients);
    } catch (error) {
      recorder.log.markUnreplayable(refusedClientReason);
      throw error;
    } finally {
      // The shell goes on at a quiet point, as after any facade call (see recording.ts).
      await quietPoint();
    }
  }
}

/** `limiter` as the built-in clients see it: a refused write makes the run unreplayable. */
export function watchedLimiter(limiter: LabLimiter, onRefusal: () => void): LabLimiter {
  return new Proxy(limiter, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (key === 'checkProduce') {
        return (...args: Parameters<LabLimiter['checkProduce']>) => {
          const refusal = target.checkProduce(...args);
          if (refusal !== null) onRefusal();
          return refusal;
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
