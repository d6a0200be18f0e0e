import { readFileSync } from 'node:fs';
import { parseStat } from '../src/procfs/stat.js';
import { closeFd, pidfdOpen, pidfdSendSignal, poll, POLLIN, processMrelease, SIGKILL } from './syscalls.js';
import { SyscallError } from './syscall-error.js';

/** The process a handle was opened for is gone (or its pid now names another process). */
export class ProcessGoneError extends Error {
  override readonly name = 'ProcessGoneError';
  readonly code = 'ESRCH';
  constructor(
    readonly pid: number,
    why: string,
  ) {
    super(`process ${pid}: ${why}`);
  }
}

export function readStartTime(pid: number, procRoot = '/proc'): number {
  return parseStat(readFileSync(`${procRoot}/${pid}/stat`, 'utf8')).starttime;
}

/**
 * A pidfd bound to one process identity: pid plus start time. Signals go through the pidfd, so
 * they can only ever reach the process that was opened; and the start time is checked against
 * the one the caller saw when it chose the process, so a pid recycled between choosing and
 * opening is refused rather than adopted.
 */
export class ProcessHandle {
  #fd: number;

  private constructor(
    readonly pid: number,
    readonly startTime: number,
    fd: number,
    private readonly procRoot: string,
  ) {
    this.#fd = fd;
  }

  /**
   * Opens a pidfd for `pid`. With `expectedStartTime`, refuses (ProcessGoneError) unless the
   * process now at `pid` is the one that had that start time.
   */
  static open(pid: number, options: { expectedStartTime?: number; procRoot?: string } = {}): ProcessHandle {
    const procRoot = options.procRoot ?? '/proc';
    let fd: number;
    try {
      fd = pidfdOpen(pid);
    } catch (error) {
      if (error instanceof SyscallError && error.code === 'ESRCH') throw new ProcessGoneError(pid, 'no such process');
      throw error;
    }
    const handle = new ProcessHandle(pid, 0, fd, procRoot);
    try {
      // Read the start time after opening, then prove the pidfd's process still holds its pid
      // (until reaped, even a zombie does), so the stat we read was its own.
      const startTime = readStartTime(pid, procRoot);
      if (!handle.#holdsPid()) throw new ProcessGoneError(pid, 'exited while being opened');
      if (options.expectedStartTime !== undefined && startTime !== options.expectedStartTime) {
        throw new ProcessGoneError(pid, `pid now belongs to another process (start time ${startTime}, expected ${options.expectedStartTime})`);
      }
      return new ProcessHandle(pid, startTime, handle.#takeFd(), procRoot);
    } catch (error) {
      handle.close();
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') throw new ProcessGoneError(pid, 'exited while being opened');
      throw error;
    }
  }

  /** The raw pidfd, e.g. to hand to a reaper or the events worker. Valid until close(). */
  get fd(): number {
    if (this.#fd < 0) throw new Error(`process ${this.pid}: handle is closed`);
    return this.#fd;
  }

  get closed(): boolean {
    return this.#fd < 0;
  }

  /** Sends `signal` to exactly this process; ProcessGoneError once it has exited. */
  signal(signal: number): void {
    try {
      pidfdSendSignal(this.fd, signal);
    } catch (error) {
      if (error instanceof SyscallError && error.code === 'ESRCH') throw new ProcessGoneError(this.pid, 'has exited');
      throw error;
    }
  }

  kill(): void {
    this.signal(SIGKILL);
  }

  /** True while the process has not exited; a zombie has (its pidfd polls readable). */
  isAlive(): boolean {
    return (poll([{ fd: this.fd, events: POLLIN }], 0)[0]! & POLLIN) === 0;
  }

  /** process_mrelease on this process; it must already be dying (SIGKILLed). */
  mrelease(): void {
    processMrelease(this.fd);
  }

  /** Reads /proc/<pid>/<name>, but only if the pid still names this process afterwards. */
  readProcFile(name: string): string {
    const text = readFileSync(`${this.procRoot}/${this.pid}/${name}`, 'utf8');
    if (!this.#holdsPid()) throw new ProcessGoneError(this.pid, 'has exited');
    return text;
  }

  close(): void {
    if (this.#fd >= 0) closeFd(this.#fd);
    this.#fd = -1;
  }

  /** Signal 0 reaches the process while it holds its pid: alive, or a zombie not yet reaped. */
  #holdsPid(): boolean {
    try {
      pidfdSendSignal(this.fd, 0);
      return true;
    } catch (error) {
      if (error instanceof SyscallError && error.code === 'ESRCH') return false;
      throw error;
    }
  }

  #takeFd(): number {
    const fd = this.#fd;
    this.#fd = -1;
    return fd;
  }
}
