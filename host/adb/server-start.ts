import { spawn } from 'node:child_process';

/**
 * Runs `adb -P PORT start-server` (the server forks itself away and keeps running). Resolves with
 * undefined when adb says it started, else with a one-line reason.
 */
export function startServer(port: number, timeoutMs = 20_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    let stderr = '';
    const child = spawn('adb', ['-P', String(port), 'start-server'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(`adb start-server did not finish within ${timeoutMs / 1000} s`);
    }, timeoutMs);
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code === 'ENOENT' ? 'adb start-server: no adb on PATH' : `adb start-server: ${error.message}`);
    });
    // 'exit', not 'close': the forked server may hold the pipe open.
    child.on('exit', (code) => {
      clearTimeout(timer);
      child.stderr.destroy();
      const last = stderr.trim().split('\n').at(-1)?.trim();
      resolve(code === 0 ? undefined : `adb start-server failed${last ? `: ${last}` : ` (exit ${code})`}`);
    });
  });
}
