/**
 * Syscall numbers per architecture. The pidfd family and process_mrelease were added after the
 * tables were unified (5.1+), so they share numbers everywhere; the older calls differ.
 */
export interface SyscallNumbers {
  readonly getpid: number;
  readonly gettid: number;
  readonly prctl: number;
  readonly sched_setaffinity: number;
  readonly sched_getaffinity: number;
  readonly getcpu: number;
  readonly mlock2: number;
  readonly pidfd_send_signal: number;
  readonly pidfd_open: number;
  readonly process_mrelease: number;
}

const unified = { pidfd_send_signal: 424, pidfd_open: 434, process_mrelease: 448 } as const;

export const SYSCALL_NUMBERS: Readonly<Record<'x64' | 'arm64' | 'arm', SyscallNumbers>> = {
  x64: { getpid: 39, gettid: 186, prctl: 157, sched_setaffinity: 203, sched_getaffinity: 204, getcpu: 309, mlock2: 325, ...unified },
  arm64: { getpid: 172, gettid: 178, prctl: 167, sched_setaffinity: 122, sched_getaffinity: 123, getcpu: 168, mlock2: 284, ...unified },
  arm: { getpid: 20, gettid: 224, prctl: 172, sched_setaffinity: 241, sched_getaffinity: 242, getcpu: 345, mlock2: 390, ...unified },
};

export type SupportedArch = keyof typeof SYSCALL_NUMBERS;

export function isSupportedArch(arch: string): arch is SupportedArch {
  return Object.hasOwn(SYSCALL_NUMBERS, arch);
}

export function syscallNumbersFor(arch: string): SyscallNumbers {
  if (!isSupportedArch(arch)) {
    throw new Error(`lmk supports x64, arm64 and arm; this CPU architecture is ${arch}`);
  }
  return SYSCALL_NUMBERS[arch];
}
