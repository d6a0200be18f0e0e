import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { encodeShellPacket, ShellPacketId, ShellPacketReader } from './shell-protocol.js';
import type { AdbStream } from './stream.js';

export interface SubprocessRequest {
  /** Empty for an interactive shell. */
  readonly command: string;
  readonly pty: boolean;
  /** $TERM, if the service sets one ("dumb" for shell: by default, none for exec:). */
  readonly term: string | undefined;
}

/** Starts the device's shell for a request; stdin, stdout and stderr must be pipes. */
export type SubprocessLauncher = (request: SubprocessRequest) => ChildProcess;

export interface ShellServiceRequest extends SubprocessRequest {
  readonly shellProtocol: boolean;
}

/**
 * Parses what follows "shell" in a service name: "[,arg,...]:command" where args are raw, pty,
 * v2 (shell protocol) or TERM=…; or the command of "exec:". Undefined if malformed.
 */
export function parseShellService(name: string): ShellServiceRequest | undefined {
  if (name.startsWith('exec:')) return { command: name.slice(5), pty: false, term: undefined, shellProtocol: false };
  if (!name.startsWith('shell')) return undefined;
  const rest = name.slice(5);
  const colon = rest.indexOf(':');
  if (colon < 0 || (colon > 0 && !rest.startsWith(','))) return undefined;
  const command = rest.slice(colon + 1);
  let pty = command === '';
  let shellProtocol = false;
  let term = 'dumb';
  for (const arg of rest.slice(0, colon).split(',')) {
    if (arg === 'raw') pty = false;
    else if (arg === 'pty') pty = true;
    else if (arg === 'v2') shellProtocol = true;
    else if (arg.startsWith('TERM=')) term = arg.slice(5);
  }
  return { command, pty, term, shellProtocol };
}

function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code & 0xff;
  if (signal !== null) return (128 + (constants.signals[signal] ?? 0)) & 0xff;
  return 1;
}

/** Forwards a readable to the stream with backpressure: paused until each write is acknowledged. */
function pipeOut(source: Readable | null, stream: AdbStream, wrap: (data: Buffer) => Buffer): void {
  if (!source) return;
  source.on('data', (data: Buffer) => {
    source.pause();
    void stream.write(wrap(data)).then(() => source.resume());
  });
  source.on('error', () => undefined);
}

/** Runs one shell:/exec: request on a stream, with or without the shell protocol. */
export function runShell(stream: AdbStream, request: ShellServiceRequest, launch: SubprocessLauncher): void {
  let child: ChildProcess;
  try {
    child = launch(request);
  } catch (error) {
    void stream.write(Buffer.from(`error: ${String(error)}\n`)).then(() => stream.end());
    return;
  }
  const stdin = child.stdin;
  stdin?.on('error', () => undefined);
  const writeStdin = (data: Buffer): Promise<void> =>
    new Promise((resolve) => {
      if (!stdin || stdin.destroyed || stdin.writableEnded) return resolve();
      stdin.write(data, () => resolve());
    });

  if (request.shellProtocol) {
    const packets = new ShellPacketReader();
    stream.onData(async (data) => {
      for (const packet of packets.push(data)) {
        if (packet.id === ShellPacketId.stdin) await writeStdin(packet.data);
        else if (packet.id === ShellPacketId.closeStdin) stdin?.end();
        // window size changes are ignored: the pty keeps its default size
      }
    });
    pipeOut(child.stdout, stream, (data) => encodeShellPacket(ShellPacketId.stdout, data));
    pipeOut(child.stderr, stream, (data) => encodeShellPacket(ShellPacketId.stderr, data));
  } else {
    stream.onData((data) => writeStdin(data));
    pipeOut(child.stdout, stream, (data) => data);
    pipeOut(child.stderr, stream, (data) => data);
  }

  let finished = false;
  const finish = async (status: number, message?: string): Promise<void> => {
    if (finished) return;
    finished = true;
    if (request.shellProtocol) {
      if (message) await stream.write(encodeShellPacket(ShellPacketId.stderr, Buffer.from(message)));
      await stream.write(encodeShellPacket(ShellPacketId.exit, Buffer.from([status])));
    } else if (message) {
      await stream.write(Buffer.from(message));
    }
    await stream.end();
  };
  // 'close' comes after the process exited and its stdout and stderr reached EOF.
  child.on('close', (code, signal) => void finish(exitStatus(code, signal)));
  child.on('error', (error) => void finish(127, `${String(error)}\n`));
  stream.onClose(() => {
    stdin?.destroy();
    child.stdout?.destroy();
    child.stderr?.destroy();
  });
}
