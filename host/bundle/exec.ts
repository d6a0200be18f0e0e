import { spawn } from 'node:child_process';
import { CliError } from '../cli-error.js';

/** Debian packages that provide the commands the bundle builder runs. */
const PROVIDED_BY: Readonly<Record<string, string>> = {
  patchelf: 'patchelf',
  strip: 'binutils',
  'aarch64-linux-gnu-strip': 'binutils-aarch64-linux-gnu',
  'apt-get': 'apt',
  'apt-cache': 'apt',
  dpkg: 'dpkg',
  'dpkg-deb': 'dpkg',
  tar: 'tar',
  npm: 'npm',
};

export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ExecOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs a command to completion; a missing command becomes a CliError naming its package. */
export function exec(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, LC_ALL: 'C', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        const pkg = PROVIDED_BY[command];
        reject(new CliError(`${command} is not installed${pkg ? ` (Debian package ${pkg})` : ''}`));
      } else reject(new CliError(`cannot run ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** The line of a failed command's output most worth showing: its first error line, else its last. */
export function reasonOf(result: ExecResult): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^npm (warn|notice)\b/.test(line) && !/complete log of this run/.test(line));
  const errors = lines.filter((line) => /^(npm error|E:|error:|.*: error:)/i.test(line));
  const picked = errors.length > 0 ? errors.slice(0, 2).join(' ') : lines.at(-1);
  return picked ?? `exit ${result.code}`;
}

/** Runs a command and fails with a one-line CliError unless it exits 0. */
export async function execOk(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const result = await exec(command, args, options);
  if (result.code !== 0) throw new CliError(`${[command, ...args].join(' ')} failed: ${reasonOf(result)}`);
  return result;
}
