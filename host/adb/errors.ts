import { CliError } from '../cli-error.js';
import { formatAddress, type AdbServerAddress } from './server-address.js';

/** Socket errors that mean "the adb server is not there (any more)", not "the device said no". */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

export function isConnectionError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && CONNECTION_CODES.has(code);
}

/** An error's message on one line, without adbkit's "Failure: '…'" wrapping. */
export function oneLineMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unwrapped = /^Failure: '([\s\S]*)'$/.exec(message)?.[1] ?? message;
  return unwrapped.replace(/\s+/g, ' ').trim();
}

export function unreachable(address: AdbServerAddress, reason?: string): CliError {
  return new CliError(`adb server unreachable at ${formatAddress(address)}${reason ? ` (${reason})` : ''}`);
}

/**
 * The CliError for a failed adb operation: the server gone becomes "adb server unreachable";
 * anything else keeps its reason, prefixed with what was being done.
 */
export function adbFailure(error: unknown, address: AdbServerAddress, doing: string): CliError {
  if (error instanceof CliError) return error;
  if (isConnectionError(error)) return unreachable(address, oneLineMessage(error));
  return new CliError(`${doing}: ${oneLineMessage(error)}`);
}
