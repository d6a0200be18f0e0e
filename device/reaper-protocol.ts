/** Messages between the agent's main thread and its reaper threads. */

export interface ReaperSetup {
  readonly index: number;
  readonly cpus: readonly number[];
  readonly nice: number;
}

export interface ReapRequest {
  readonly id: number;
  readonly pidfd: number;
}

export interface ReapResult {
  readonly id: number;
  /** Duration of the process_mrelease call. */
  readonly ms: number;
  /** null on success; ESRCH means the victim was already freeing itself (also a success). */
  readonly errno: string | null;
  /** The CPU the call ran on (read right after it returned). */
  readonly cpu: number | null;
}

export type ReaperReply =
  | { readonly type: 'ready'; readonly tid: number; readonly affinity: readonly number[]; readonly notes: readonly string[] }
  | ({ readonly type: 'reaped' } & ReapResult);
