import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const AGENT = fileURLToPath(new URL('../../device/main.js', import.meta.url));

export type LogLine = Record<string, unknown> & { event?: string; msg?: string };

/** `lmk-agent run` as a child of the test, with its JSON log lines collected. */
export class AgentProcess {
  readonly lines: LogLine[] = [];
  readonly stderr: string[] = [];
  #listeners = new Set<() => void>();

  private constructor(
    readonly child: ChildProcess,
    readonly stateDir: string,
    private readonly ownsStateDir: boolean,
  ) {
    let buffered = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          this.lines.push(JSON.parse(line) as LogLine);
        } catch {
          this.lines.push({ msg: line, unparsed: true });
        }
        for (const listener of this.#listeners) listener();
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk));
  }

  /** Starts the agent with `config` (written to a file in a fresh state directory). */
  static start(config: object, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): AgentProcess {
    const stateDir = mkdtempSync(join(tmpdir(), 'lmk-agent-test-'));
    const configPath = join(stateDir, 'config.json');
    writeFileSync(configPath, JSON.stringify({ stateDir, ...config }));
    const child = spawn(process.execPath, [AGENT, 'run', '--config', configPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    return new AgentProcess(child, stateDir, true);
  }

  events(name: string): LogLine[] {
    return this.lines.filter((line) => line.event === name);
  }

  /** Resolves with the first log line matching, or rejects after timeoutMs or if the agent exits. */
  waitFor(match: (line: LogLine) => boolean, timeoutMs: number): Promise<LogLine> {
    const found = this.lines.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        this.child.off('exit', exited);
      };
      const check = (): void => {
        const line = this.lines.find(match);
        if (line) {
          done();
          resolve(line);
        }
      };
      const exited = (): void => {
        done();
        reject(new Error(`agent exited before the expected log line; stderr: ${this.stderr.join('')}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching agent log line within ${timeoutMs} ms; last lines: ${JSON.stringify(this.lines.slice(-5))}`));
      }, timeoutMs);
      this.#listeners.add(check);
      this.child.once('exit', exited);
    });
  }

  ready(timeoutMs = 15_000): Promise<LogLine> {
    return this.waitFor((line) => line.event === 'control', timeoutMs);
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** SIGTERM, then SIGKILL if it will not go; removes its state directory. */
  async stop(): Promise<void> {
    if (!this.exited) {
      const exit = once(this.child, 'exit');
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    }
    if (this.ownsStateDir) rmSync(this.stateDir, { recursive: true, force: true });
  }
}
