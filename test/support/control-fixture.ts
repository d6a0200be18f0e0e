import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ControlHandler, ReloadResult } from '../../device/control-server.js';
import { sampleKillRecord } from './sample-records.js';

/** A status payload as an agent would give it. */
export function sampleStatus(): Record<string, unknown> {
  return {
    version: '0.1.0-test',
    uptimeMs: 3_723_000,
    pid: 4242,
    config: { dryRun: false, stateDir: '/run/lmk' },
    counters: { kills: 3, byBand: { cached: 2, previous: 1 }, dryRunDecisions: 0, reapFailures: 1 },
    recentKills: [sampleKillRecord({ swapKb: 1000, reap: { ms: 35.2, errno: null, cpu: 1 } })],
    psi: { someAvg10: 3.21, fullAvg10: 0.5 },
    reaperCpus: [0, 1, 2, 3],
    reaping: true,
    scope: 'system',
  };
}

/** A ControlHandler that records what the server asked of it and can emit stream messages. */
export class FakeHandler implements ControlHandler {
  readonly listeners = new Set<(message: object) => void>();
  readonly reloads: unknown[] = [];
  stops = 0;
  status: () => unknown = () => sampleStatus();
  reload: (config: unknown) => ReloadResult | Promise<ReloadResult> = (config) => {
    this.reloads.push(config);
    return { ok: true };
  };
  onStop: () => void = () => {};

  stop(): void {
    this.stops++;
    this.onStop();
  }

  subscribe(listener: (message: object) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(message: object): void {
    for (const listener of this.listeners) listener(message);
  }
}

/** A fresh temp directory, removed by the returned cleanup. */
export async function tempDir(prefix = 'lmk-control-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Polls `condition` until it holds or `timeoutMs` passes. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A bare socket client reading the server's lines, for sending malformed input. */
export class RawClient {
  readonly lines: string[] = [];
  #buffer = '';
  #waiters: (() => void)[] = [];
  ended = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.#buffer += chunk;
      let newline: number;
      while ((newline = this.#buffer.indexOf('\n')) !== -1) {
        this.lines.push(this.#buffer.slice(0, newline));
        this.#buffer = this.#buffer.slice(newline + 1);
      }
      this.#wake();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.ended = true;
      this.#wake();
    });
  }

  static connect(path: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ path });
      socket.once('connect', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** The n-th line (0-based) the server sent, parsed, once it arrives. */
  async line(index: number, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length <= index) {
      if (this.ended) throw new Error(`connection closed after ${this.lines.length} lines, wanted line ${index}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for line ${index}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return JSON.parse(this.lines[index]!) as Record<string, unknown>;
  }

  /** Resolves once the server closed the connection. */
  async closed(timeoutMs = 5000): Promise<void> {
    await waitFor(() => this.ended, 'the server to close the connection', timeoutMs);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a Node script asynchronously (the server under test lives in this process, so spawnSync
 * would deadlock it).
 */
export function runNode(args: readonly string[], options: { timeoutMs?: number; stdin?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}
