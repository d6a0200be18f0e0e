import { z } from 'zod';

/**
 * The agent's control protocol: newline-delimited JSON over a root-only Unix socket in the
 * agent's state directory. A client sends requests, one JSON object per line; the agent answers
 * each with one reply line, in order. After `subscribe` it also streams event lines until the
 * client goes away. Every line either side reads is validated with the schemas here.
 */

/** Longest request line the agent accepts, in bytes, not counting the newline. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/** Where the agent keeps its socket, kill log and other state unless configured otherwise. */
export const DEFAULT_STATE_DIR = '/run/lmk';

/** The socket's file name inside the state directory. */
export const CONTROL_SOCKET_NAME = 'control.sock';

/** `${stateDir}/control.sock`. */
export function controlSocketPath(stateDir: string): string {
  const dir = stateDir.length > 1 ? stateDir.replace(/\/+$/, '') : stateDir;
  return dir === '/' ? `/${CONTROL_SOCKET_NAME}` : `${dir}/${CONTROL_SOCKET_NAME}`;
}

/** A client's tag for a request, echoed in its reply. */
export const RequestIdSchema = z.union([z.string(), z.number()], { error: 'expected a string or a number' });
export type RequestId = z.infer<typeof RequestIdSchema>;

const id = RequestIdSchema.optional();

export const StatusRequestSchema = z.object({ id, cmd: z.literal('status') });
export const SubscribeRequestSchema = z.object({ id, cmd: z.literal('subscribe') });
export const ReloadRequestSchema = z.object({
  id,
  cmd: z.literal('reload'),
  /** The new config as a JSON object; the agent validates it against its config schema. */
  config: z.record(z.string(), z.unknown(), { error: 'expected a JSON object' }),
});
export const StopRequestSchema = z.object({ id, cmd: z.literal('stop') });

export const ControlRequestSchema = z.discriminatedUnion('cmd', [
  StatusRequestSchema,
  SubscribeRequestSchema,
  ReloadRequestSchema,
  StopRequestSchema,
]);
export type ControlRequest = z.infer<typeof ControlRequestSchema>;
export type ControlCommand = ControlRequest['cmd'];

export const CONTROL_COMMANDS: readonly ControlCommand[] = ['status', 'subscribe', 'reload', 'stop'];

/** `{ id?, ok: true, ...payload }`: extra fields are the command's payload. */
export const OkReplySchema = z.looseObject({ id, ok: z.literal(true) });
/** `{ id?, ok: false, error }`: error is one line. */
export const ErrorReplySchema = z.object({ id, ok: z.literal(false), error: z.string() });
export const ControlReplySchema = z.discriminatedUnion('ok', [OkReplySchema, ErrorReplySchema]);
export type OkReply = z.infer<typeof OkReplySchema>;
export type ErrorReply = z.infer<typeof ErrorReplySchema>;
export type ControlReply = z.infer<typeof ControlReplySchema>;

/**
 * A line streamed to subscribers: `{ event: 'kill', record }`, `{ event: 'pressure', ... }`, and
 * whatever events later agents add. The envelope only promises a string `event`.
 */
export const StreamMessageSchema = z.looseObject({ event: z.string() });
export type StreamMessage = z.infer<typeof StreamMessageSchema>;

const count = z.number().int().nonnegative();

/** PSI memory averages over the last 10 s, in percent. */
export const StatusPsiSchema = z.object({ someAvg10: z.number().nonnegative(), fullAvg10: z.number().nonnegative() });

/** What `status` answers with (inside the ok reply). Extra fields from newer agents are kept. */
export const StatusSchema = z.looseObject({
  version: z.string(),
  uptimeMs: z.number().nonnegative(),
  pid: z.number().int().positive(),
  /** The config the agent runs with, as its config schema produced it. */
  config: z.unknown(),
  counters: z.looseObject({
    kills: count,
    /** Kills per Android importance band name. */
    byBand: z.record(z.string(), count),
    dryRunDecisions: count,
    reapFailures: count,
  }),
  /** The last few kill records, oldest first. */
  recentKills: z.array(z.unknown()),
  psi: StatusPsiSchema.nullable(),
  /** CPUs the reaper threads are pinned to. */
  reaperCpus: z.array(count),
  /** process_mrelease is available, so victims are reaped; otherwise a plain kill. */
  reaping: z.boolean(),
  /** What the agent watches and kills in, e.g. "system" or a cgroup. */
  scope: z.string(),
});
export type Status = z.infer<typeof StatusSchema>;

export const StatusReplySchema = StatusSchema.extend({ id, ok: z.literal(true) });
export type StatusReply = z.infer<typeof StatusReplySchema>;

/** Anything the agent may write on the socket: a reply or a stream message. */
export const ServerMessageSchema = z.union([ControlReplySchema, StreamMessageSchema]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

export type ParsedRequest =
  | { readonly ok: true; readonly request: ControlRequest }
  | { readonly ok: false; readonly error: string; readonly id?: RequestId };

/** Newlines and runs of blanks folded to one space, so an error is always one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** The first zod issue as "path: message" on one line. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.');
  return oneLine(path === '' ? issue.message : `${path}: ${issue.message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One request line → the request, or a one-line reason it was refused (with the request's id when
 * one could be read, so the error reply can carry it).
 */
export function parseRequest(line: string): ParsedRequest {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: oneLine(`not JSON: ${error instanceof Error ? error.message : String(error)}`) };
  }
  if (!isRecord(json)) return { ok: false, error: 'a request must be a JSON object' };
  const parsedId = RequestIdSchema.safeParse(json.id);
  const fail = (error: string): ParsedRequest => (parsedId.success ? { ok: false, error, id: parsedId.data } : { ok: false, error });
  if (!('cmd' in json)) return fail('missing cmd');
  const cmd = json.cmd;
  if (typeof cmd !== 'string') return fail('cmd must be a string');
  if (!(CONTROL_COMMANDS as readonly string[]).includes(cmd)) {
    return fail(oneLine(`unknown cmd ${JSON.stringify(cmd.slice(0, 64))} (expected ${CONTROL_COMMANDS.join(', ')})`));
  }
  const parsed = ControlRequestSchema.safeParse(json);
  if (!parsed.success) return fail(`bad ${cmd} request: ${describeIssue(parsed.error)}`);
  return { ok: true, request: parsed.data };
}

/** `{ id?, ok: true, ...payload }`; the id is left out when the request had none. */
export function okReply(requestId: RequestId | undefined, payload: Record<string, unknown> = {}): OkReply {
  const { id: _id, ok: _ok, ...rest } = payload;
  return requestId === undefined ? { ...rest, ok: true } : { id: requestId, ...rest, ok: true };
}

/** `{ id?, ok: false, error }` with the error folded to one line. */
export function errorReply(requestId: RequestId | undefined, error: string): ErrorReply {
  const text = oneLine(error) || 'error';
  return requestId === undefined ? { ok: false, error: text } : { id: requestId, ok: false, error: text };
}

/** A message as one line on the wire. */
export function encodeMessage(message: object): string {
  return `${JSON.stringify(message)}\n`;
}

/** One line the agent wrote → a reply or a stream message, or a one-line reason it is neither. */
export function parseServerMessage(line: string): { ok: true; message: ServerMessage } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: oneLine(`not JSON: ${error instanceof Error ? error.message : String(error)}`) };
  }
  if (isRecord(json) && 'ok' in json) {
    const reply = ControlReplySchema.safeParse(json);
    return reply.success ? { ok: true, message: reply.data } : { ok: false, error: `bad reply: ${describeIssue(reply.error)}` };
  }
  const message = StreamMessageSchema.safeParse(json);
  return message.success ? { ok: true, message: message.data } : { ok: false, error: `bad message: ${describeIssue(message.error)}` };
}

/** True for a reply line (it has `ok`), false for a stream message. */
export function isReply(message: ServerMessage): message is ControlReply {
  return 'ok' in message && typeof message.ok === 'boolean';
}
