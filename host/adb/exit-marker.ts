import { randomBytes } from 'node:crypto';
import { shellQuote } from './shell-quote.js';

/**
 * Exit status over legacy `shell:`, which drops it: the command runs in its own `sh -c` (so an
 * `exit` in it cannot skip what follows), stderr joined to stdout, stdin empty; then the outer
 * shell prints a line break and a marker unique to this run followed by `$?` on its own line.
 * The host strips that last line and the line break before it. A missing marker means the stream
 * broke before the command finished.
 */

/** A fresh marker: nothing a command prints by accident can contain it. */
export function newExitMarker(): string {
  return `__lmk_exit_${randomBytes(12).toString('hex')}__`;
}

export function withExitMarker(command: string, marker: string): string {
  return `sh -c ${shellQuote(command)} </dev/null 2>&1; lmk_status=$?; echo; echo ${shellQuote(marker)}"$lmk_status"`;
}

/** The status on a marker line ("<marker>N"), or undefined when the line is no marker line. */
export function markerStatus(line: string, marker: string): number | undefined {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (!text.startsWith(marker)) return undefined;
  const digits = text.slice(marker.length);
  if (!/^\d{1,3}$/.test(digits)) return undefined;
  const status = Number(digits);
  return status <= 255 ? status : undefined;
}

export type MarkedOutput = { readonly ok: true; readonly output: string; readonly exitCode: number } | { readonly ok: false; readonly reason: string };

/**
 * Splits a finished run's text into the command's output and its exit status. Anything after the
 * marker line (a background process the command left writing) is kept as output.
 */
export function splitExitMarker(text: string, marker: string): MarkedOutput {
  const at = text.lastIndexOf(`\n${marker}`);
  if (at < 0) return { ok: false, reason: 'the shell stream ended before the command finished (no exit status)' };
  const lineEnd = text.indexOf('\n', at + 1);
  if (lineEnd < 0) return { ok: false, reason: 'the shell stream ended inside the exit status line' };
  const status = markerStatus(text.slice(at + 1, lineEnd), marker);
  if (status === undefined) return { ok: false, reason: `malformed exit status line ${JSON.stringify(text.slice(at + 1, lineEnd))}` };
  return { ok: true, output: text.slice(0, at) + text.slice(lineEnd + 1), exitCode: status };
}
