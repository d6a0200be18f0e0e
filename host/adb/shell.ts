import type { Duplex } from 'node:stream';
import { CliError } from '../cli-error.js';
import { adbFailure } from './errors.js';
import { newExitMarker, splitExitMarker, withExitMarker } from './exit-marker.js';
import { MarkedLineSplitter } from './marked-lines.js';
import type { AdbTransport } from './transport.js';

export interface ShellRun {
  /** stdout and stderr, merged, as the device printed them. */
  readonly output: string;
  readonly exitCode: number;
}

/** A command in an error message: its first line, shortened. */
function brief(command: string): string {
  const first = command.split('\n')[0] ?? '';
  return first.length > 80 || command.includes('\n') ? `${first.slice(0, 77)}...` : first;
}

/** Resolves when the stream has ended and closed, rejects on its error. */
function drained(stream: Duplex, onData: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on('data', onData);
    stream.once('error', reject);
    stream.once('close', () => resolve());
    stream.once('end', () => resolve());
  });
}

/** Runs a command to its end and returns its output and exit status (see exit-marker.ts). */
export async function runShell(transport: AdbTransport, command: string, timeoutMs?: number): Promise<ShellRun> {
  const marker = newExitMarker();
  const stream = await transport.openShell(withExitMarker(command, marker));
  const chunks: Buffer[] = [];
  let timedOut = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stream.destroy();
        }, timeoutMs);
  try {
    await drained(stream, (chunk) => chunks.push(chunk));
  } catch (error) {
    if (!timedOut) throw adbFailure(error, transport.server.address, `'${brief(command)}' on ${transport.serial}`);
  } finally {
    clearTimeout(timer);
  }
  if (timedOut) throw new CliError(`'${brief(command)}' on ${transport.serial} did not finish within ${(timeoutMs ?? 0) / 1000} s`);
  const split = splitExitMarker(Buffer.concat(chunks).toString('utf8'), marker);
  if (!split.ok) throw new CliError(`'${brief(command)}' on ${transport.serial}: ${split.reason}`);
  return { output: split.output, exitCode: split.exitCode };
}

/**
 * Runs a long command, handing over its output line by line as it arrives. Resolves with its exit
 * status when it ends, or null once `signal` aborts: the stream is then closed, adbd closes the
 * command's pipes, and the command dies of SIGPIPE on its next write.
 */
export async function runShellLines(transport: AdbTransport, command: string, onLine: (line: string) => void, signal?: AbortSignal): Promise<number | null> {
  if (signal?.aborted) return null;
  const marker = newExitMarker();
  const stream = await transport.openShell(withExitMarker(command, marker));
  const lines = new MarkedLineSplitter(marker, onLine);
  let aborted = false;
  const abort = (): void => {
    aborted = true;
    stream.destroy();
  };
  signal?.addEventListener('abort', abort, { once: true });
  if (signal?.aborted) abort();
  try {
    await drained(stream, (chunk) => {
      if (!aborted) lines.push(chunk);
    });
  } catch (error) {
    if (!aborted) throw adbFailure(error, transport.server.address, `'${brief(command)}' on ${transport.serial}`);
  } finally {
    signal?.removeEventListener('abort', abort);
  }
  if (aborted) return null;
  lines.end();
  if (lines.exitCode === undefined) throw new CliError(`'${brief(command)}' on ${transport.serial}: the shell stream ended before the command finished (no exit status)`);
  return lines.exitCode;
}
