import koffi from 'koffi';
import { syscallNumbersFor, type SyscallNumbers } from './syscall-numbers.js';

/**
 * The libc entry points lmk calls. `syscall()` is variadic; fixed-arity aliases of the same symbol
 * are ABI-safe for integer and pointer arguments on x86_64, arm64 and arm EABI, and unlike the
 * variadic form they may be declared once and reused cheaply.
 * Loaded lazily and once per thread (each worker_thread has its own module instance).
 */
export interface Libc {
  readonly nr: SyscallNumbers;
  readonly syscall1: (nr: number, a: number) => number;
  readonly syscall2: (nr: number, a: number, b: number) => number;
  readonly syscall0: (nr: number) => number;
  readonly syscallSignal: (nr: number, pidfd: number, sig: number, info: null, flags: number) => number;
  readonly syscallAffinity: (nr: number, tid: number, size: number, mask: Buffer) => number;
  readonly syscallMlock2: (nr: number, address: bigint, length: number, flags: number) => number;
  readonly syscallGetcpu: (nr: number, cpu: Buffer, node: null, cache: null) => number;
  readonly syscallPrctlName: (nr: number, option: number, name: Buffer) => number;
  readonly poll: (fds: Buffer, nfds: number, timeoutMs: number) => number;
  readonly close: (fd: number) => number;
  readonly read: (fd: number, buf: Buffer, count: number) => number;
  readonly write: (fd: number, buf: Buffer, count: number) => number;
  readonly eventfd: (initval: number, flags: number) => number;
  readonly setpriority: (which: number, who: number, prio: number) => number;
  readonly mlockall: (flags: number) => number;
  readonly munlockall: () => number;
  readonly errno: () => number;
}

let loaded: Libc | undefined;

function libcName(): string {
  // Bionic (Termux's node reports platform 'android') has no soname version.
  return process.platform === 'android' ? 'libc.so' : 'libc.so.6';
}

export function libc(): Libc {
  if (loaded) return loaded;
  const lib = koffi.load(libcName());
  loaded = {
    nr: syscallNumbersFor(process.arch),
    syscall0: lib.func('syscall', 'long', ['long']),
    syscall1: lib.func('syscall', 'long', ['long', 'long']),
    syscall2: lib.func('syscall', 'long', ['long', 'long', 'long']),
    syscallSignal: lib.func('syscall', 'long', ['long', 'int', 'int', 'void *', 'uint']),
    syscallAffinity: lib.func('syscall', 'long', ['long', 'int', 'size_t', 'void *']),
    syscallMlock2: lib.func('syscall', 'long', ['long', 'uintptr_t', 'size_t', 'int']),
    syscallGetcpu: lib.func('syscall', 'long', ['long', 'void *', 'void *', 'void *']),
    syscallPrctlName: lib.func('syscall', 'long', ['long', 'int', 'void *']),
    poll: lib.func('int poll(void *fds, unsigned long nfds, int timeout)'),
    close: lib.func('int close(int fd)'),
    read: lib.func('long read(int fd, void *buf, size_t count)'),
    write: lib.func('long write(int fd, void *buf, size_t count)'),
    eventfd: lib.func('int eventfd(unsigned int initval, int flags)'),
    setpriority: lib.func('int setpriority(int which, int who, int prio)'),
    mlockall: lib.func('int mlockall(int flags)'),
    munlockall: lib.func('int munlockall()'),
    errno: () => koffi.errno(),
  };
  return loaded;
}
