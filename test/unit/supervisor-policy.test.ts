import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { afterAgentExit, isAgentCommandLine, nextRestartDelay, RESTART_MAX_MS, STABLE_RUN_MS, tailLines } from '../../device/supervisor-policy.js';

describe('the supervisor after the agent exits', () => {
  it('exits when the agent stopped on request (exit 0), restarts it after a crash or a kill', () => {
    assert.deepEqual(afterAgentExit(0, null, false), { action: 'exit', code: 0, why: 'agent stopped on request (exit 0)' });
    assert.deepEqual(afterAgentExit(1, null, false), { action: 'restart', why: 'agent exit 1' });
    assert.deepEqual(afterAgentExit(null, 'SIGKILL', false), { action: 'restart', why: 'agent killed by SIGKILL' });
    assert.deepEqual(afterAgentExit(null, 'SIGSEGV', false), { action: 'restart', why: 'agent killed by SIGSEGV' });
  });

  it('does not restart an agent that refused its config (exit 2)', () => {
    const next = afterAgentExit(2, null, false);
    assert.equal(next.action, 'exit');
    assert.equal(next.action === 'exit' && next.code, 2);
  });

  it('never restarts while the supervisor itself is stopping, whatever the agent did', () => {
    for (const [code, signal] of [[1, null], [null, 'SIGKILL'], [0, null]] as const) {
      assert.equal(afterAgentExit(code, signal, true).action, 'exit');
    }
  });
});

describe('restart delays', () => {
  it('start at 1 s and double up to 30 s', () => {
    const delays: number[] = [];
    let previous: number | undefined;
    for (let i = 0; i < 8; i++) {
      previous = nextRestartDelay(previous, 100);
      delays.push(previous);
    }
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    assert.equal(Math.max(...delays), RESTART_MAX_MS);
  });

  it('go back to 1 s after an agent that ran long enough', () => {
    assert.equal(nextRestartDelay(30_000, STABLE_RUN_MS), 1000);
    assert.equal(nextRestartDelay(30_000, STABLE_RUN_MS - 1), 30_000);
  });
});

describe('recognising our processes by their command line', () => {
  const entry = '/data/local/tmp/lmk/agent/main.js';

  it('matches node ENTRY SUBCOMMAND, and nothing else', () => {
    assert.equal(isAgentCommandLine(['/data/local/tmp/lmk/node', entry, 'supervise', '--state-dir', '/x'], entry, 'supervise'), true);
    assert.equal(isAgentCommandLine(['/data/local/tmp/lmk/node', entry, 'run', '--config', 'c.json'], entry, 'run'), true);
    assert.equal(isAgentCommandLine(['/data/local/tmp/lmk/node', entry, 'run'], entry, 'supervise'), false, 'another subcommand');
    assert.equal(isAgentCommandLine(['/data/local/tmp/lmk/node', '/elsewhere/main.js', 'run'], entry, 'run'), false, 'another script');
    assert.equal(isAgentCommandLine(['com.example.mail'], entry, 'run'), false, 'a recycled pid');
    assert.equal(isAgentCommandLine([entry, 'run'], entry, 'run'), false, 'the entry must be an argument of an interpreter');
    assert.equal(isAgentCommandLine([], entry, 'run'), false, 'a zombie or kernel thread');
  });
});

describe('the end of agent.log', () => {
  it('keeps the last lines, blank ones dropped', () => {
    assert.deepEqual(tailLines('a\nb\n\nc\nd\n', 3), ['b', 'c', 'd']);
    assert.deepEqual(tailLines('', 3), []);
  });
});
