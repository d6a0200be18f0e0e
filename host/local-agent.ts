import { spawn } from 'node:child_process';
import { localRuntime, type LocalRuntime } from './runtime/local.js';
import { localAgentSpawn } from './runtime/local-device.js';

/** The agent's entry in this installation, run for --local commands. */
export { LOCAL_AGENT_ENTRY } from './runtime/local.js';

export interface AgentRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

/**
 * Runs `lmk-agent <args>` on this machine and collects its output: with this Node on Linux; in
 * Termux as root through su, with Termux's node (host/runtime/local.ts).
 */
export async function runLocalAgent(args: readonly string[], runtime: LocalRuntime = localRuntime()): Promise<AgentRun> {
  const command = await localAgentSpawn(runtime, args);
  return new Promise((resolve, reject) => {
    const child = spawn(command.file, command.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}
