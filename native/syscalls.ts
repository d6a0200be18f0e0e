import { constants } from 'node:os';
import { libc } from './libc.js';
import { SyscallError } from './syscall-error.js';

/** Typed wrappers: each returns the result or throws SyscallError with the errno's name. */

function check(name: string, ret: number, detail?: string): number {
  if (ret < 0) throw new SyscallError(name, libc().errno(), detail);
  return ret;
}

export const SIGKILL = 9;
export const SIGTERM = 15;
export const PRIO_PROCESS = 0;
export const MCL_CURRENT = 1;
export const MCL_FUTURE = 2;
export const MCL_ONFAULT = 4;
export const PR_SET_NAME = 15;
export const POLLIN = 0x001;
export const POLLPRI = 0x002;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;
export const POLLNVAL = 0x020;
const EFD_NONBLOCK = 0o4000;
const EFD_CLOEXEC = 0o2000000;
/** Bytes in the kernel's cpumask that we pass: 1024 CPUs, far beyond any phone. */
const CPU_MASK_BYTES = 128;

export function getpid(): number {
  return check('getpid', libc().syscall0(libc().nr.getpid));
}

/** The calling OS thread's id: in a worker_thread this differs from the process's pid. */
export function gettid(): number {
  return check('gettid', libc().syscall0(libc().nr.gettid));
}

export function pidfdOpen(pid: number): number {
  return check('pidfd_open', libc().syscall2(libc().nr.pidfd_open, pid, 0), `pid ${pid}`);
}

export function pidfdSendSignal(pidfd: number, signal: number): void {
  check('pidfd_send_signal', libc().syscallSignal(libc().nr.pidfd_send_signal, pidfd, signal, null, 0));
}

/** Tears down a dying process's address space now, on the caller's CPU. EINVAL: not dying. */
export function processMrelease(pidfd: number): void {
  check('process_mrelease', libc().syscall2(libc().nr.process_mrelease, pidfd, 0));
}

export function closeFd(fd: number): void {
  check('close', libc().close(fd));
}

/** tid 0 = the calling thread. */
export function schedSetaffinity(tid: number, cpus: readonly number[]): void {
  const mask = Buffer.alloc(CPU_MASK_BYTES);
  for (const cpu of cpus) {
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= CPU_MASK_BYTES * 8) throw new RangeError(`bad CPU id ${cpu}`);
    mask[cpu >> 3]! |= 1 << (cpu & 7);
  }
  check('sched_setaffinity', libc().syscallAffinity(libc().nr.sched_setaffinity, tid, CPU_MASK_BYTES, mask), `cpus ${cpus.join(',')}`);
}

export function schedGetaffinity(tid: number): number[] {
  const mask = Buffer.alloc(CPU_MASK_BYTES);
  const bytes = check('sched_getaffinity', libc().syscallAffinity(libc().nr.sched_getaffinity, tid, CPU_MASK_BYTES, mask));
  const cpus: number[] = [];
  for (let i = 0; i < bytes * 8; i++) if ((mask[i >> 3]! >> (i & 7)) & 1) cpus.push(i);
  return cpus;
}

/** Nice value of one thread (Linux applies PRIO_PROCESS to a single tid). */
export function setThreadNice(tid: number, nice: number): void {
  check('setpriority', libc().setpriority(PRIO_PROCESS, tid, nice), `nice ${nice}`);
}

/**
 * Locks the process's pages in RAM. Beware in Node: V8 returns freed heap pages with
 * madvise(MADV_DONTNEED), which the kernel refuses (EINVAL) on locked mappings, and V8 then
 * aborts. Never leave it on in a process that runs JavaScript; undo it with munlockall().
 */
export function mlockall(flags: number = MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT): void {
  check('mlockall', libc().mlockall(flags));
}

export function munlockall(): void {
  check('munlockall', libc().munlockall());
}

/** Names the calling thread (15 bytes at most, as the kernel keeps them), e.g. "lmk-reaper0". */
export function setThreadName(name: string): void {
  const buf = Buffer.alloc(16);
  buf.write(name.slice(0, 15), 'utf8');
  check('prctl', libc().syscallPrctlName(libc().nr.prctl, PR_SET_NAME, buf), 'PR_SET_NAME');
}

export interface PollEntry {
  readonly fd: number;
  readonly events: number;
}

/** Blocks in poll(2); returns revents per entry. timeoutMs -1 waits forever. */
export function poll(entries: readonly PollEntry[], timeoutMs: number): number[] {
  const buf = Buffer.alloc(entries.length * 8);
  entries.forEach((entry, i) => {
    buf.writeInt32LE(entry.fd, i * 8);
    buf.writeInt16LE(entry.events, i * 8 + 4);
  });
  check('poll', libc().poll(buf, entries.length, timeoutMs));
  return entries.map((_, i) => buf.readUInt16LE(i * 8 + 6));
}

export function eventfdCreate(): number {
  return check('eventfd', libc().eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
}

export function eventfdSignal(fd: number): void {
  const one = Buffer.alloc(8);
  one.writeBigUInt64LE(1n);
  check('write', libc().write(fd, one, 8), 'eventfd');
}

/** Resets an eventfd; EAGAIN (nothing pending) is not an error. */
export function eventfdDrain(fd: number): void {
  const buf = Buffer.alloc(8);
  if (libc().read(fd, buf, 8) < 0 && libc().errno() !== constants.errno.EAGAIN) throw new SyscallError('read', libc().errno(), 'eventfd');
}

export const MLOCK_ONFAULT = 1;

/** Locks [address, address+length) in RAM; with MLOCK_ONFAULT only pages as they are touched. */
export function mlock2(address: bigint, length: number, flags: number = MLOCK_ONFAULT): void {
  check('mlock2', libc().syscallMlock2(libc().nr.mlock2, address, length, flags), `0x${address.toString(16)}+${length}`);
}

/** The CPU the calling thread runs on right now. */
export function getcpu(): number {
  const cpu = Buffer.alloc(4);
  check('getcpu', libc().syscallGetcpu(libc().nr.getcpu, cpu, null, null));
  return cpu.readUInt32LE(0);
}
