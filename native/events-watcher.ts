import { EventEmitter } from 'node:events';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { EventsCommand, WatcherEvent, WorkerReply } from './events-protocol.js';
import { closeFd, eventfdCreate, eventfdSignal } from './syscalls.js';

export type { WatcherEvent } from './events-protocol.js';

/**
 * The main thread's side of the events worker: watch PSI trigger fds and victim pidfds without
 * blocking the event loop. koffi's `.async()` would block a libuv pool thread instead, which
 * fs and dns share, so poll() gets a thread of its own.
 *
 * Fds stay owned by the caller: close one only after `unwatch()` has resolved (or after its
 * `exited` / `fd-error` event, which drops the watch), never while the worker may poll it.
 */
export class EventsWatcher extends EventEmitter<{ event: [WatcherEvent]; error: [Error] }> {
  readonly #worker: Worker;
  readonly #commands: MessageChannel['port1'];
  readonly #wakeFd: number;
  readonly #pendingUnwatch = new Map<string, () => void>();
  #stopped = false;
  /** The worker's OS thread id, for tests and diagnostics. */
  readonly tid: number;

  private constructor(worker: Worker, commands: MessageChannel['port1'], wakeFd: number, tid: number) {
    super();
    this.#worker = worker;
    this.#commands = commands;
    this.#wakeFd = wakeFd;
    this.tid = tid;
    worker.on('message', (message: WorkerReply) => this.#onReply(message));
    worker.on('error', (error) => this.emit('error', error));
  }

  static async start(): Promise<EventsWatcher> {
    const wakeFd = eventfdCreate();
    const channel = new MessageChannel();
    const worker = new Worker(new URL('./events-thread.js', import.meta.url), {
      workerData: { commands: channel.port2, wakeFd },
      transferList: [channel.port2],
    });
    // Only our own listeners may be removed: Worker keeps internal ones, and without them the
    // worker's messages are no longer delivered while it blocks in poll().
    let onMessage: (message: WorkerReply) => void = () => undefined;
    let onError: (error: Error) => void = () => undefined;
    let onExit: (code: number) => void = () => undefined;
    try {
      const tid = await new Promise<number>((resolve, reject) => {
        onMessage = (message) => {
          if (message.type === 'ready') resolve(message.tid);
          else reject(new Error(`events worker: ${message.type === 'failed' ? message.message : 'unexpected first message'}`));
        };
        onError = reject;
        onExit = (code) => reject(new Error(`events worker exited with code ${code} before it was ready`));
        worker.once('message', onMessage).once('error', onError).once('exit', onExit);
      });
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      return new EventsWatcher(worker, channel.port1, wakeFd, tid);
    } catch (error) {
      await worker.terminate();
      closeFd(wakeFd);
      throw error;
    }
  }

  /** Report POLLPRI on a PSI trigger fd as `pressure` events with this id. */
  watchPressure(id: string, fd: number): void {
    this.#send({ op: 'watch', id, fd, kind: 'pressure' });
  }

  /** Report once, as an `exited` event with this id, when the pidfd's process exits. */
  watchExit(id: string, pidfd: number): void {
    this.#send({ op: 'watch', id, fd: pidfd, kind: 'exit' });
  }

  /** Resolves once the worker no longer polls the fd of this id. */
  unwatch(id: string): Promise<void> {
    return new Promise((resolve) => {
      this.#pendingUnwatch.set(id, resolve);
      this.#send({ op: 'unwatch', id });
    });
  }

  /** Resolves with the next event matching `filter` (for callers that wait for one thing). */
  next(filter: (event: WatcherEvent) => boolean, timeoutMs?: number): Promise<WatcherEvent | undefined> {
    return new Promise((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => done(undefined), timeoutMs);
      const listener = (event: WatcherEvent): void => {
        if (filter(event)) done(event);
      };
      const done = (event: WatcherEvent | undefined): void => {
        clearTimeout(timer);
        this.off('event', listener);
        resolve(event);
      };
      this.on('event', listener);
    });
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    this.#send({ op: 'stop' }, true);
    await exited;
    this.#commands.close();
    closeFd(this.#wakeFd);
  }

  #send(command: EventsCommand, evenIfStopped = false): void {
    if (this.#stopped && !evenIfStopped) throw new Error('events watcher is stopped');
    this.#commands.postMessage(command);
    eventfdSignal(this.#wakeFd);
  }

  #onReply(message: WorkerReply): void {
    switch (message.type) {
      case 'unwatched':
        this.#pendingUnwatch.get(message.id)?.();
        this.#pendingUnwatch.delete(message.id);
        break;
      case 'failed':
        this.emit('error', new Error(`events worker: ${message.message}`));
        break;
      case 'ready':
        break;
      default:
        this.emit('event', message);
    }
  }
}
