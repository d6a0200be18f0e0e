import { constants } from 'node:os';

const errnoNames = new Map<number, string>(
  Object.entries(constants.errno).map(([name, value]) => [value, name] as const),
);

export function errnoName(errno: number): string {
  return errnoNames.get(errno) ?? `E${errno}`;
}

/** A failed system call, carrying the errno's name (ESRCH, EINVAL, ENOSYS, ...). */
export class SyscallError extends Error {
  override readonly name = 'SyscallError';
  readonly code: string;
  constructor(
    readonly syscall: string,
    readonly errno: number,
    detail?: string,
  ) {
    const code = errnoName(errno);
    super(`${syscall}${detail ? ` (${detail})` : ''}: ${code}`);
    this.code = code;
  }
}

/** True when `error` is a SyscallError with one of the given errno names. */
export function isErrno(error: unknown, ...codes: string[]): error is SyscallError {
  return error instanceof SyscallError && codes.includes(error.code);
}
