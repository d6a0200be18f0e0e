import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { lstat, stat, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ControlClientError, describeConnectError, sendRequest, subscribe } from '../../device/control-client.js';
import { startControlServer, type ControlServer } from '../../device/control-server.js';
import { MAX_MESSAGE_BYTES, StatusReplySchema, type StreamMessage } from '../../src/control-protocol.js';
import { FakeHandler, RawClient, sampleStatus, tempDir, waitFor } from '../support/control-fixture.js';

describe('control server', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let socketPath: string;
  let handler: FakeHandler;
  let server: ControlServer | undefined;
  const clients: RawClient[] = [];

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    socketPath = join(dir, 'state', 'control.sock');
    handler = new FakeHandler();
    server = undefined;
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server?.close();
    await cleanup();
  });

  async function start(options: Parameters<typeof startControlServer>[3] = {}): Promise<ControlServer> {
    server = await startControlServer(socketPath, handler, undefined, options);
    return server;
  }

  async function raw(): Promise<RawClient> {
    const client = await RawClient.connect(socketPath);
    clients.push(client);
    return client;
  }

  it('creates its directory 0700 and the socket 0600', async () => {
    await start();
    const socket = await lstat(socketPath);
    assert.ok(socket.isSocket());
    assert.equal(socket.mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, 'state'))).mode & 0o777, 0o700);
  });

  it('answers status with the handler payload and the request id', async () => {
    await start();
    const reply = await sendRequest(socketPath, { id: 'q1', cmd: 'status' });
    const parsed = StatusReplySchema.parse(reply);
    assert.equal(parsed.id, 'q1');
    assert.equal(parsed.pid, 4242);
    assert.deepEqual(parsed.reaperCpus, [0, 1, 2, 3]);
    assert.deepEqual(parsed.recentKills, sampleStatus()['recentKills']);
  });

  it('answers several requests on one connection in order, including async handlers', async () => {
    handler.reload = async (config) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      handler.reloads.push(config);
      return { ok: false, error: 'psi.some.stallMs: expected a number' };
    };
    await start();
    const client = await raw();
    client.send('{"id":1,"cmd":"reload","config":{"psi":1}}\n{"id":2,"cmd":"status"}\n{"id":3,"cmd":"reload","config":{}}\n');
    assert.deepEqual(await client.line(0), { id: 1, ok: false, error: 'psi.some.stallMs: expected a number' });
    assert.equal((await client.line(1))['id'], 2);
    assert.equal((await client.line(1))['ok'], true);
    assert.equal((await client.line(2))['id'], 3);
    assert.deepEqual(handler.reloads, [{ psi: 1 }, {}]);
  });

  it('passes a reload config to the handler and relays its verdict', async () => {
    await start();
    assert.deepEqual(await sendRequest(socketPath, { cmd: 'reload', config: { dryRun: true } }), { ok: true });
    assert.deepEqual(handler.reloads, [{ dryRun: true }]);
    handler.reload = () => ({ ok: false, error: 'dryRun: expected boolean' });
    assert.deepEqual(await sendRequest(socketPath, { id: 7, cmd: 'reload', config: { dryRun: 1 } }), { id: 7, ok: false, error: 'dryRun: expected boolean' });
  });

  it('streams messages to a subscriber in order, after the ok reply', async () => {
    await start();
    const received: StreamMessage[] = [];
    const controller = new AbortController();
    const done = subscribe(socketPath, (message) => {
      received.push(message);
      if (received.length === 200) controller.abort();
    }, controller.signal);
    await waitFor(() => handler.listeners.size === 1, 'the subscription');
    for (let n = 0; n < 200; n++) handler.emit(n % 2 ? { event: 'kill', record: { n } } : { event: 'pressure', n });
    await done;
    assert.deepEqual(
      received.map((message) => message['n'] ?? (message['record'] as { n: number }).n),
      Array.from({ length: 200 }, (_, n) => n),
    );
    await waitFor(() => handler.listeners.size === 0, 'the unsubscribe on disconnect');
  });

  it('holds back messages emitted while subscribing until the ok reply is out', async () => {
    const subscribeOriginal = handler.subscribe.bind(handler);
    handler.subscribe = (listener) => {
      listener({ event: 'hello' });
      return subscribeOriginal(listener);
    };
    await start();
    const client = await raw();
    client.send('{"id":"s","cmd":"subscribe"}\n');
    assert.deepEqual(await client.line(0), { id: 's', ok: true });
    assert.deepEqual(await client.line(1), { event: 'hello' });
  });

  it('answers what a client sent before hanging up, then unsubscribes it', async () => {
    const running = await start();
    const client = await raw();
    client.socket.end('{"id":1,"cmd":"status"}\n{"cmd":"subscribe"}');
    assert.equal((await client.line(0))['id'], 1);
    assert.deepEqual(await client.line(1), { ok: true });
    await client.closed();
    await waitFor(() => running.connections === 0 && handler.listeners.size === 0, 'the connection and subscription to go');
  });

  it('answers malformed JSON, unknown commands and wrong types with errors, and keeps serving', async () => {
    await start();
    const client = await raw();
    client.send('{"cmd": "status"\n');
    client.send('{"id":5,"cmd":"reboot"}\n');
    client.send('{"id":6,"cmd":"reload","config":[1]}\n');
    client.send('{"id":{"x":1},"cmd":"status"}\n');
    client.send('"status"\n');
    client.send('{"id":8,"cmd":"status"}\r\n');
    const bad = await client.line(0);
    assert.equal(bad['ok'], false);
    assert.match(String(bad['error']), /^not JSON: /);
    assert.deepEqual(await client.line(1), { id: 5, ok: false, error: 'unknown cmd "reboot" (expected status, subscribe, reload, stop)' });
    assert.deepEqual(await client.line(2), { id: 6, ok: false, error: 'bad reload request: config: expected a JSON object' });
    assert.deepEqual(await client.line(3), { ok: false, error: 'bad status request: id: expected a string or a number' });
    assert.deepEqual(await client.line(4), { ok: false, error: 'a request must be a JSON object' });
    assert.equal((await client.line(5))['ok'], true);
    for (const line of client.lines) assert.ok(!line.includes('\n'));
    assert.equal((await sendRequest(socketPath, { cmd: 'status' })).ok, true, 'another client is served');
  });

  it('refuses a 1 MiB line without a newline, holds none of it, and keeps serving', async () => {
    await start();
    const client = await raw();
    const other = await raw();
    client.send('x'.repeat(1024 * 1024));
    const refused = await client.line(0);
    assert.equal(refused['ok'], false);
    assert.match(String(refused['error']), new RegExp(`longer than ${MAX_MESSAGE_BYTES} bytes`));
    other.send('{"cmd":"status"}\n');
    assert.equal((await other.line(0))['ok'], true);
    // The rest of the long line is skipped; after its newline the connection is served again.
    client.send('y'.repeat(100_000) + '\n{"id":"after","cmd":"status"}\n');
    const after = await client.line(1);
    assert.equal(after['id'], 'after');
    assert.equal(after['ok'], true);
    assert.equal(client.lines.length, 2, 'one error for one long line');
  });

  it('accepts a line of exactly MAX_MESSAGE_BYTES', async () => {
    await start();
    const client = await raw();
    const base = '{"cmd":"status","id":""}';
    const line = `{"cmd":"status","id":"${'a'.repeat(MAX_MESSAGE_BYTES - base.length)}"}`;
    assert.equal(Buffer.byteLength(line), MAX_MESSAGE_BYTES);
    client.send(`${line}\n`);
    assert.equal((await client.line(0))['ok'], true);
  });

  it('forgets a client that disconnects mid-message', async () => {
    const running = await start();
    const client = await raw();
    client.send('{"cmd":"sta');
    await waitFor(() => running.connections === 1, 'the connection');
    client.destroy();
    await waitFor(() => running.connections === 0, 'the server to forget the connection');
    assert.equal((await sendRequest(socketPath, { cmd: 'status' })).ok, true);
  });

  it('turns a handler that throws into an error reply', async () => {
    handler.status = () => {
      throw new Error('sampler broke\non two lines');
    };
    handler.reload = () => {
      throw new Error('boom');
    };
    handler.subscribe = () => {
      throw new Error('no more room');
    };
    await start();
    assert.deepEqual(await sendRequest(socketPath, { id: 1, cmd: 'status' }), { id: 1, ok: false, error: 'status failed: sampler broke on two lines' });
    assert.deepEqual(await sendRequest(socketPath, { cmd: 'reload', config: {} }), { ok: false, error: 'reload failed: boom' });
    await assert.rejects(subscribe(socketPath, () => {}), /subscribe failed: no more room/);
    handler.status = () => 'not an object';
    assert.equal((await sendRequest(socketPath, { cmd: 'status' })).ok, false);
    handler.status = () => Promise.reject(new Error('async failure'));
    assert.deepEqual(await sendRequest(socketPath, { cmd: 'status' }), { ok: false, error: 'status failed: async failure' });
  });

  it('drops a subscriber that stops reading instead of buffering for it', async () => {
    const running = await start({ maxPendingBytes: 256 * 1024 });
    const slow = await raw();
    slow.send('{"cmd":"subscribe"}\n');
    await waitFor(() => handler.listeners.size === 1, 'the subscription');
    slow.socket.pause();
    const big = { event: 'pressure', padding: 'p'.repeat(16 * 1024) };
    for (let n = 0; n < 2000 && handler.listeners.size > 0; n++) handler.emit(big);
    assert.equal(handler.listeners.size, 0, 'the slow subscriber was unsubscribed');
    await waitFor(() => running.connections === 0, 'the slow connection to close');
    assert.equal((await sendRequest(socketPath, { cmd: 'status' })).ok, true);
  });

  it('calls handler.stop on stop, after the ok reply', async () => {
    const running = await start();
    handler.onStop = () => void running.close();
    assert.deepEqual(await sendRequest(socketPath, { id: 's', cmd: 'stop' }), { id: 's', ok: true });
    assert.equal(handler.stops, 1);
    await waitFor(() => running.connections === 0, 'connections to end');
    await assert.rejects(lstat(socketPath), { code: 'ENOENT' });
  });

  it('close() ends subscribers and removes the socket', async () => {
    const running = await start();
    const controller = new AbortController();
    const done = subscribe(socketPath, () => {}, controller.signal).then(
      () => undefined,
      (error: unknown) => error,
    );
    await waitFor(() => handler.listeners.size === 1, 'the subscription');
    await running.close();
    assert.match(String(await done), /the agent closed the connection/);
    assert.equal(handler.listeners.size, 0);
    await assert.rejects(lstat(socketPath), { code: 'ENOENT' });
    await assert.rejects(sendRequest(socketPath, { cmd: 'status' }), (error: unknown) => {
      assert.ok(error instanceof ControlClientError);
      assert.equal(error.message, `no agent running (no socket at ${socketPath})`);
      return true;
    });
  });

  it('replaces a stale socket left by an agent that died', async () => {
    const stateDir = join(dir, 'state');
    const child = spawn(
      process.execPath,
      ['-e', `require('node:fs').mkdirSync(${JSON.stringify(stateDir)}); require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => process.stdout.write('ready'))`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await once(child.stdout, 'data');
    child.kill('SIGKILL');
    await once(child, 'close');
    assert.ok((await lstat(socketPath)).isSocket(), 'the dead agent left its socket behind');
    await assert.rejects(sendRequest(socketPath, { cmd: 'status' }), { message: `no agent answering at ${socketPath} (stale socket)` });
    await start();
    assert.equal((await sendRequest(socketPath, { cmd: 'status' })).ok, true);
  });

  it('refuses to start a second server on a live socket', async () => {
    await start();
    await assert.rejects(startControlServer(socketPath, new FakeHandler()), /another agent is already listening at/);
    assert.equal((await sendRequest(socketPath, { cmd: 'status' })).ok, true, 'the first server still serves');
  });

  it('refuses to replace a file that is not a socket', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'state'));
    await writeFile(socketPath, 'precious');
    await assert.rejects(startControlServer(socketPath, handler), /exists and is not a socket/);
    assert.equal(await readFile(socketPath, 'utf8'), 'precious');
  });

  it('refuses a socket path longer than a Unix socket allows', async () => {
    await assert.rejects(startControlServer(join(dir, 'x'.repeat(120), 'control.sock'), handler), /control socket path too long/);
  });

  it('words connection errors for the user', () => {
    const error = (code: string): Error => Object.assign(new Error(code), { code });
    assert.equal(describeConnectError(error('ENOENT'), '/run/lmk/control.sock').message, 'no agent running (no socket at /run/lmk/control.sock)');
    assert.equal(describeConnectError(error('ECONNREFUSED'), '/x').message, 'no agent answering at /x (stale socket)');
    assert.equal(describeConnectError(error('EACCES'), '/x').message, 'permission denied: run as root');
  });
});
