import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The agent's entry in this installation, run for --local commands. */
export const LOCAL_AGENT_ENTRY = fileURLToPath(new URL('../device/main.js', import.meta.url));

export interface AgentRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

/** Runs `lmk-agent <args>` on this machine with this Node and collects its output. */
export function runLocalAgent(args: readonly string[]): Promise<AgentRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOCAL_AGENT_ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}
