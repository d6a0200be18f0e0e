import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The compiled `lmk` CLI, run as a child process like a user runs it. */
export const LMK_CLI = fileURLToPath(new URL('../../host/cli.js', import.meta.url));

export interface LmkRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment for lmk: this one, without ANDROID_SERIAL, with `extra` on top. */
export function lmkEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { ANDROID_SERIAL: _serial, ANDROID_ADB_SERVER_PORT: _port, ...rest } = process.env;
  return { ...rest, ...extra };
}

export function runLmk(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 300_000): Promise<LmkRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LMK_CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** stdout as JSON, with the run in the message when it is not. */
export function jsonOf(run: LmkRun): unknown {
  try {
    return JSON.parse(run.stdout) as unknown;
  } catch {
    throw new Error(`lmk printed no JSON (exit ${run.code}): ${run.stdout}${run.stderr}`);
  }
}

/** The last line of stderr: an lmk error is one line. */
export function lastErrorLine(run: LmkRun): string {
  return run.stderr.trim().split('\n').at(-1) ?? '';
}
