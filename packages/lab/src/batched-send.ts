/**
 * Coalesces the frames one socket sends in one turn of the event loop into one write.
 *
 * A lab answers a typed line with several messages in a row (output, then `done`), and a
 * snapshot push is an `events` message followed by a `snapshot`. `ws` writes each frame
 * at once, one `writev` system call per frame, which was the largest single cost in a CPU
 * profile of 200 learners. Corking the socket on the first frame of a turn and uncorking
 * it once the turn's synchronous work and microtasks are done sends them together. The
 * frames, their order and their content are unchanged.
 */
import type { Duplex } from 'node:stream';

export interface FrameSocket {
  readonly readyState: number;
  readonly OPEN: number;
  send(data: string): void;
}

/** A sender for `ws` that corks `socket` (the upgraded TCP socket under it) per turn. */
export function batchedSender(ws: FrameSocket, socket: Pick<Duplex, 'cork' | 'uncork'>): (text: string) => void {
  let corked = false;
  const uncork = (): void => {
    corked = false;
    socket.uncork();
  };
  return (text) => {
    if (ws.readyState !== ws.OPEN) return;
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    ws.send(text);
  };
}
