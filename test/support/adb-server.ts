import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A random port in 5038..9037 where nothing listens: a private adb server for one test file. */
export async function freeAdbPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 5038 + Math.floor(Math.random() * 4000);
    if (!(await listening(port))) return port;
  }
  throw new Error('no free port for a private adb server');
}

/** Runs the real adb client against the server on `port`. */
export async function adbOn(port: number, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return run('adb', ['-P', String(port), ...args], { encoding: 'utf8', timeout: 30_000 });
}

export async function startAdbServer(port: number): Promise<void> {
  await adbOn(port, ['start-server']);
}

/** Stops the private server; never the user's (the port is always given). */
export async function killAdbServer(port: number): Promise<void> {
  await adbOn(port, ['kill-server']).catch(() => undefined);
  for (let attempt = 0; attempt < 50 && (await listening(port)); attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
}
