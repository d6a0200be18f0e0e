/** Messages between the main thread and the events worker (see events-watcher.ts). */

export type WatchKind = 'pressure' | 'exit';

export type EventsCommand =
  | { readonly op: 'watch'; readonly id: string; readonly fd: number; readonly kind: WatchKind }
  | { readonly op: 'unwatch'; readonly id: string }
  | { readonly op: 'stop' };

export type WatcherEvent =
  /** A PSI trigger fired (POLLPRI). `atMs` is process.hrtime in ms, comparable across threads. */
  | { readonly type: 'pressure'; readonly id: string; readonly atMs: number }
  /** A watched pidfd became readable: the process exited. The watch is dropped. */
  | { readonly type: 'exited'; readonly id: string; readonly atMs: number }
  /** The fd reported POLLERR/POLLNVAL (e.g. its cgroup was removed). The watch is dropped. */
  | { readonly type: 'fd-error'; readonly id: string; readonly revents: number; readonly atMs: number };

export type WorkerReply =
  | WatcherEvent
  | { readonly type: 'ready'; readonly tid: number }
  | { readonly type: 'unwatched'; readonly id: string }
  | { readonly type: 'failed'; readonly message: string };

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
