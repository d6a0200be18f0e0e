import { closeSync, openSync, readFileSync, realpathSync, rmSync, writeSync } from 'node:fs';
import { parseCmdline } from '../src/procfs/cmdline.js';
import { AGENT_PID_FILE, SUPERVISOR_PID_FILE, stateFile } from '../src/supervisor-protocol.js';
import { isAgentCommandLine } from './supervisor-policy.js';

/**
 * The supervisor's pid files, and the one way this code decides that a pid still is ours: the
 * process is alive, not a zombie, and its command line is `node <this lmk-agent entry> supervise`
 * (or `run`). A pid file outliving its process can name a recycled pid; nothing is ever
 * signalled before that check, made right before the signal.
 */

export type Role = 'supervisor' | 'agent';

const ROLE_FILE: Readonly<Record<Role, string>> = { supervisor: SUPERVISOR_PID_FILE, agent: AGENT_PID_FILE };
const ROLE_COMMAND: Readonly<Record<Role, 'supervise' | 'run'>> = { supervisor: 'supervise', agent: 'run' };

export function pidFilePath(stateDir: string, role: Role): string {
  return stateFile(stateDir, ROLE_FILE[role]);
}

/** This lmk-agent's entry script, as node was given it (what a child's argv holds). */
export function agentEntry(): string {
  const entry = process.argv[1];
  if (entry === undefined) throw new Error('cannot tell which script runs lmk-agent (no argv[1])');
  return entry;
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The pid a pid file names, or undefined (missing, empty, garbage). */
export function readPidFile(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const match = /^\s*(\d{1,10})\s*$/.exec(text);
  if (!match) return undefined;
  const pid = Number(match[1]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** Writes "PID\n"; with `exclusive`, fails with EEXIST when the file is there. */
export function writePidFile(path: string, pid: number, exclusive = false): void {
  const fd = openSync(path, exclusive ? 'wx' : 'w', 0o644);
  try {
    writeSync(fd, `${pid}\n`);
  } finally {
    closeSync(fd);
  }
}

/** Removes a pid file if it still names `pid` (another process may have written its own since). */
export function removePidFile(path: string, pid?: number): void {
  if (pid !== undefined && readPidFile(path) !== pid) return;
  rmSync(path, { force: true });
}

/** Whether `pid` is alive (not a zombie) and runs lmk-agent `role` from `entry`. */
export function isOurs(pid: number, role: Role, entry = agentEntry(), procRoot = '/proc'): boolean {
  let cmdline: string;
  let stat: string;
  try {
    cmdline = readFileSync(`${procRoot}/${pid}/cmdline`, 'utf8');
    stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // The state is the first field after the command name in parentheses, which may hold anything.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  if (state === 'Z' || state === 'X' || state === 'x' || state === '') return false;
  const argv = parseCmdline(cmdline);
  if (isAgentCommandLine(argv, entry, ROLE_COMMAND[role])) return true;
  // The same script reached through another path (a symlinked install dir).
  const real = realpathOr(entry);
  return argv.some((arg, index) => index >= 1 && arg.endsWith('.js') && realpathOr(arg) === real && argv[index + 1] === ROLE_COMMAND[role]);
}

/** The pid in `role`'s pid file if that process is alive and ours, else undefined. */
export function livePid(stateDir: string, role: Role, entry = agentEntry()): number | undefined {
  const pid = readPidFile(pidFilePath(stateDir, role));
  return pid !== undefined && isOurs(pid, role, entry) ? pid : undefined;
}

/**
 * Sends `signal` to `pid` only if it still is lmk-agent `role`. Returns whether it was sent.
 * The check and the kill are microseconds apart: the pid would have to be freed and handed out
 * again (the kernel hands pids out in order, wrapping at pid_max) in between.
 */
export function signalIfOurs(pid: number, role: Role, signal: NodeJS.Signals, entry = agentEntry()): boolean {
  if (!isOurs(pid, role, entry)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
