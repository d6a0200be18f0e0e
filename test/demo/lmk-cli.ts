import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The lmk CLI of this checkout, run as a user would run it. */
export const LMK_CLI = fileURLToPath(new URL('../../host/cli.js', import.meta.url));

/** Runs `lmk <args>` with the terminal attached; rejects on a non-zero exit. */
export function lmk(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LMK_CLI, ...args], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lmk ${args[0]} exited with ${code}`))));
  });
}

/** Starts a long-running `lmk <args>` (watch) whose output goes to the terminal. */
export function lmkInBackground(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [LMK_CLI, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
}
