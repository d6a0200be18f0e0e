/**
 * Body of the events worker: one OS thread that blocks in poll() on PSI trigger fds, victim
 * pidfds and a wake eventfd, and never returns to its event loop while running, so nothing but
 * the kernel wakes it (no periodic wakeups while idle). Commands arrive on a MessagePort and are
 * drained synchronously when the main thread signals the wake fd.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { nowMs, type EventsCommand, type WatchKind, type WorkerReply } from './events-protocol.js';
import { eventfdDrain, gettid, poll, POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLPRI, setThreadName, type PollEntry } from './syscalls.js';
import { SyscallError } from './syscall-error.js';

interface Watch {
  readonly id: string;
  readonly fd: number;
  readonly kind: WatchKind;
}

const { commands, wakeFd } = workerData as { commands: MessagePort; wakeFd: number };
const watches = new Map<string, Watch>();

function reply(message: WorkerReply): void {
  parentPort!.postMessage(message);
}

/** Applies queued commands; false when told to stop. */
function drainCommands(): boolean {
  for (;;) {
    const received = receiveMessageOnPort(commands);
    if (!received) return true;
    const command = received.message as EventsCommand;
    switch (command.op) {
      case 'watch':
        watches.set(command.id, { id: command.id, fd: command.fd, kind: command.kind });
        break;
      case 'unwatch':
        watches.delete(command.id);
        reply({ type: 'unwatched', id: command.id });
        break;
      case 'stop':
        return false;
    }
  }
}

function eventsFor(kind: WatchKind): number {
  return kind === 'pressure' ? POLLPRI : POLLIN;
}

function run(): void {
  setThreadName('lmk-events');
  reply({ type: 'ready', tid: gettid() });
  for (;;) {
    const list = [...watches.values()];
    const entries: PollEntry[] = [{ fd: wakeFd, events: POLLIN }, ...list.map((w) => ({ fd: w.fd, events: eventsFor(w.kind) }))];
    let revents: number[];
    try {
      revents = poll(entries, -1);
    } catch (error) {
      if (error instanceof SyscallError && error.code === 'EINTR') continue;
      throw error;
    }
    const atMs = nowMs();
    list.forEach((watch, i) => {
      const got = revents[i + 1]!;
      if (got === 0) return;
      if (got & (POLLERR | POLLNVAL)) {
        watches.delete(watch.id);
        reply({ type: 'fd-error', id: watch.id, revents: got, atMs });
      } else if (watch.kind === 'pressure' && got & POLLPRI) {
        reply({ type: 'pressure', id: watch.id, atMs });
      } else if (watch.kind === 'exit' && got & (POLLIN | POLLHUP)) {
        watches.delete(watch.id);
        reply({ type: 'exited', id: watch.id, atMs });
      }
    });
    if (revents[0]! & POLLIN) {
      eventfdDrain(wakeFd);
      if (!drainCommands()) return;
    }
  }
}

try {
  run();
} catch (error) {
  reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
