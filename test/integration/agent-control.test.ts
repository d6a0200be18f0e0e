import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { AgentProcess } from '../support/agent-process.js';

const cli = fileURLToPath(new URL('../../host/cli.js', import.meta.url));

function lmk(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('a bad config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmk-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stops the agent from starting, with the bad field named and exit code 2', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ minAdj: { lowMemory: 50 } }));
    const run = lmk(['agent', '--config', file, '--state-dir', dir]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /minAdj\.lowMemory/);
    assert.equal(run.stderr.trim().split('\n').length, 1);
  });

  it('that is not JSON, or is missing, is refused the same way', () => {
    const file = join(dir, 'torn.json');
    writeFileSync(file, '{"reaper": ');
    assert.equal(lmk(['agent', '--config', file]).code, 2);
    const missing = lmk(['agent', '--config', join(dir, 'missing.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file/);
  });
});

describe('a running agent, through lmk --local', { skip: process.getuid?.() !== 0 ? 'needs root' : false }, () => {
  let agent: AgentProcess;
  before(async () => {
    agent = AgentProcess.start({ dryRun: true, killTimeoutMs: 100 });
    await agent.ready();
  });
  after(async () => agent.stop());

  const status = (): Record<string, unknown> => {
    const run = lmk(['status', '--local', '--json', '--state-dir', agent.stateDir]);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as Record<string, unknown>;
  };

  it('reports its status', () => {
    const now = status();
    assert.equal(now['pid'], agent.child.pid);
    assert.equal((now['config'] as { dryRun: boolean }).dryRun, true);
    assert.ok(Array.isArray(now['reaperCpus']));
  });

  it('refuses a bad reload and keeps its config; applies a good one', () => {
    const bad = join(agent.stateDir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ dryRun: true, stateDir: agent.stateDir, killTimeoutMs: -5 }));
    const refused = lmk(['reload', bad, '--local', '--state-dir', agent.stateDir]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /killTimeoutMs/);
    assert.equal((status()['config'] as { killTimeoutMs: number }).killTimeoutMs, 100);

    const good = join(agent.stateDir, 'good.json');
    writeFileSync(good, JSON.stringify({ dryRun: true, stateDir: agent.stateDir, killTimeoutMs: 250, reaper: { cpus: 'all', threads: 1 } }));
    const applied = lmk(['reload', good, '--local', '--state-dir', agent.stateDir]);
    assert.equal(applied.code, 0, applied.stderr);
    const now = status();
    assert.equal((now['config'] as { killTimeoutMs: number }).killTimeoutMs, 250);
    assert.equal(agent.exited, false);
  });

  it('stops on request', async () => {
    const run = lmk(['stop', '--local', '--state-dir', agent.stateDir]);
    assert.equal(run.code, 0, run.stderr);
    await agent.waitFor((line) => line.event === 'stop', 10_000);
  });
});
