import { constants } from 'node:fs';
import { chown, lchown, lstat, lutimes, mkdir, open, readlink, symlink, unlink, utimes, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ByteReader } from './byte-reader.js';
import { resolveInRoot } from './root-path.js';
import { strerror } from './strerror.js';
import { SYNC_DATA_MAX, syncFail, syncHeader } from './sync-packets.js';
import type { AdbStream } from './stream.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

export interface SendContext {
  readonly root: string;
  readonly stream: AdbStream;
  readonly reader: ByteReader;
  /** Owner of created files and directories; undefined keeps the daemon's own (root). */
  readonly owner: { uid: number; gid: number } | undefined;
}

/** strtoul(text, 0): decimal, 0x hex or leading-zero octal. */
function parseMode(text: string): number | undefined {
  const value = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^0[0-7]*$/.test(text) ? parseInt(text, 8) : /^\d+$/.test(text) ? parseInt(text, 10) : NaN;
  return Number.isFinite(value) ? value : undefined;
}

/** Creates each missing directory of `hostDir` below `root` one level at a time (mode 0775). */
async function mkdirs(root: string, hostDir: string, owner: SendContext['owner']): Promise<void> {
  const relative = hostDir.slice(root.length).split('/').filter(Boolean);
  let partial = root;
  for (const name of relative) {
    partial = `${partial}/${name}`;
    try {
      await mkdir(partial, 0o775);
      if (owner) await chown(partial, owner.uid, owner.gid);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
  }
}

async function readDataHeader(reader: ByteReader): Promise<{ id: string; size: number }> {
  const header = await reader.read(8);
  return { id: header.toString('latin1', 0, 4), size: header.readUInt32LE(4) };
}

/** After a failure adbd keeps swallowing DATA until DONE, so the client sees the FAIL. */
async function discardUntilDone(reader: ByteReader): Promise<void> {
  for (;;) {
    const { id, size } = await readDataHeader(reader);
    if (id !== 'DATA' || size > SYNC_DATA_MAX) return;
    await reader.read(size);
  }
}

async function sendLink(context: SendContext, hostPath: string): Promise<boolean> {
  const { reader, stream } = context;
  const data = await readDataHeader(reader);
  if (data.id !== 'DATA' || data.size > SYNC_DATA_MAX) {
    await stream.write(syncFail(data.id !== 'DATA' ? 'invalid data message: expected ID_DATA' : 'oversize data message'));
    return false;
  }
  const target = (await reader.read(data.size)).toString('utf8').replace(/\0.*$/s, '');
  const current = await readlink(hostPath).catch(() => undefined);
  if (current !== target) {
    await unlink(hostPath).catch(() => undefined);
    try {
      await symlink(target, hostPath).catch(async (error: { code?: string }) => {
        if (error.code !== 'ENOENT') throw error;
        await mkdirs(context.root, dirname(hostPath), context.owner).catch((inner: unknown) => {
          throw Object.assign(new Error('mkdirs'), { syncReason: `secure_mkdirs failed: ${strerror(inner)}` });
        });
        await symlink(target, hostPath);
      });
    } catch (error) {
      const reason = (error as { syncReason?: string }).syncReason ?? `symlink failed: ${strerror(error)}`;
      await stream.write(syncFail(reason));
      return false;
    }
  }
  const done = await readDataHeader(reader);
  if (done.id !== 'DONE') {
    await stream.write(syncFail('invalid data message: expected ID_DONE'));
    return false;
  }
  if (context.owner) await lchown(hostPath, context.owner.uid, context.owner.gid).catch(() => undefined);
  await lutimes(hostPath, done.size, done.size).catch(() => undefined);
  await stream.write(syncHeader('OKAY', 0));
  return true;
}

async function openForSend(context: SendContext, hostPath: string, mode: number): Promise<FileHandle> {
  const createFlags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
  try {
    return await open(hostPath, createFlags, mode);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') {
      try {
        await mkdirs(context.root, dirname(hostPath), context.owner);
      } catch (inner) {
        throw Object.assign(new Error('mkdirs'), { syncReason: `secure_mkdirs failed: ${strerror(inner)}` });
      }
      return open(hostPath, createFlags, mode).catch((again: unknown) => {
        if ((again as { code?: string }).code !== 'EEXIST') throw again;
        return open(hostPath, constants.O_WRONLY, mode);
      });
    }
    if (code === 'EEXIST') return open(hostPath, constants.O_WRONLY, mode);
    throw error;
  }
}

async function sendFile(context: SendContext, hostPath: string, requestedMode: number, unlinkOnFail: boolean): Promise<boolean> {
  const { reader, stream } = context;
  // Copy the user permission bits to group and other, as adbd does.
  let mode = requestedMode & 0o777;
  mode |= (mode >> 3) & 0o070;
  mode |= (mode >> 3) & 0o007;
  let file: FileHandle | undefined;
  let reason: string | undefined;
  try {
    file = await openForSend(context, hostPath, mode);
    if (context.owner) await file.chown(context.owner.uid, context.owner.gid);
    await file.chmod(mode).catch(() => undefined);
  } catch (error) {
    reason = (error as { syncReason?: string }).syncReason ?? `couldn't create file: ${strerror(error)}`;
  }
  let timestamp = 0;
  if (file && reason === undefined) {
    try {
      for (;;) {
        const { id, size } = await readDataHeader(reader);
        if (id === 'DONE') {
          timestamp = size;
          break;
        }
        if (id !== 'DATA') {
          reason = 'invalid data message';
          break;
        }
        if (size > SYNC_DATA_MAX) {
          reason = 'oversize data message';
          break;
        }
        const chunk = await reader.read(size);
        try {
          await file.write(chunk);
        } catch (error) {
          reason = `write failed: ${strerror(error)}`;
          break;
        }
      }
    } finally {
      await file.close().catch(() => undefined);
    }
  }
  if (reason !== undefined) {
    await stream.write(syncFail(reason));
    await discardUntilDone(reader).catch(() => undefined);
    if (unlinkOnFail) await unlink(hostPath).catch(() => undefined);
    return false;
  }
  await utimes(hostPath, timestamp, timestamp).catch(() => undefined);
  await stream.write(syncHeader('OKAY', 0));
  return true;
}

/** SEND "path,mode": DATA chunks then DONE mtime; replies OKAY, or FAIL and ends the session. */
export async function handleSend(context: SendContext, spec: string): Promise<boolean> {
  const comma = spec.lastIndexOf(',');
  if (comma < 0) {
    await context.stream.write(syncFail('missing , in ID_SEND_V1'));
    return false;
  }
  const mode = parseMode(spec.slice(comma + 1));
  if (mode === undefined) {
    await context.stream.write(syncFail('bad mode'));
    return false;
  }
  let hostPath: string;
  try {
    hostPath = resolveInRoot(context.root, spec.slice(0, comma), false);
  } catch (error) {
    await context.stream.write(syncFail(`couldn't create file: ${strerror(error)}`));
    await discardUntilDone(context.reader).catch(() => undefined);
    return false;
  }
  const existing = await lstat(hostPath).catch(() => undefined);
  const isLink = (mode & S_IFMT) === S_IFLNK;
  const unlinkFirst = !existing || existing.isFile() || (existing.isSymbolicLink() && !isLink);
  if (unlinkFirst) await unlink(hostPath).catch(() => undefined);
  if (isLink) return sendLink(context, hostPath);
  return sendFile(context, hostPath, mode, unlinkFirst);
}
