import { shellQuote } from '../adb/shell-quote.js';
import { TERMUX_LIB } from './termux.js';

/** What the agent's environment must lose and gain before its node starts. */
export interface AgentEnv {
  readonly unset: readonly string[];
  readonly set: Readonly<Record<string, string>>;
}

/**
 * A glibc node (the bundled one) must see neither Android's LD_PRELOAD (Termux sets
 * libtermux-exec.so) nor a bionic LD_LIBRARY_PATH.
 */
export const GLIBC_ENV: AgentEnv = { unset: ['LD_PRELOAD', 'LD_LIBRARY_PATH'], set: {} };

/**
 * Termux's node under su: no libtermux-exec.so preloaded into a root process (the agent execs
 * nothing but node by its absolute path, so nothing needs it), and Termux's lib dir named, because
 * su may drop or replace LD_LIBRARY_PATH (Termux's own `su` unsets it; its packages also carry the
 * dir as RUNPATH, this covers those that do not). PATH is left as su sets it: every path the agent
 * runs is absolute.
 */
export const TERMUX_ENV: AgentEnv = { unset: ['LD_PRELOAD'], set: { LD_LIBRARY_PATH: TERMUX_LIB } };

/** Any other node: only the preload goes. */
export const PLAIN_ENV: AgentEnv = { unset: ['LD_PRELOAD'], set: {} };

/** The environment as POSIX sh lines (`unset …`, `VAR=value`, `export VAR`). */
export function envLines(env: AgentEnv): string[] {
  const lines: string[] = [];
  if (env.unset.length > 0) lines.push(`unset ${env.unset.join(' ')}`);
  for (const [name, value] of Object.entries(env.set)) lines.push(`${name}=${shellQuote(value)}`, `export ${name}`);
  return lines;
}
