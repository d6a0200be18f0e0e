import { chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { runActivityCommand } from './activity-commands.js';
import type { Launcher } from './launcher.js';

/** Device path of the socket /system/bin/am and pm talk to. */
export const ACTIVITY_SOCKET = '/dev/socket/activity';

/**
 * The activity service: a Unix socket in the phone's /dev/socket. A request is the client's
 * NUL-terminated argv ("am", "start", …) up to its half-close; the reply is the exit status on
 * its own line, then the output.
 */
export async function startActivityService(root: string, launcher: Launcher): Promise<Server> {
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('end', () => {
      const argv = Buffer.concat(chunks).toString('utf8').split('\0');
      if (argv.at(-1) === '') argv.pop();
      void runActivityCommand(launcher, argv)
        .catch((error: unknown) => ({ status: 1, output: `Error: ${String(error)}\n` }))
        .then((result) => socket.end(`${result.status}\n${result.output}`));
    });
  });
  const path = `${root}${ACTIVITY_SOCKET}`;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o666);
  return server;
}
