import { readFileSync } from 'node:fs';
import { parseConfig, parseConfigText, type LmkConfig } from '../src/config.js';
import { controlSocketPath } from '../src/control-protocol.js';
import { Agent } from './agent.js';
import { startControlServer } from './control-server.js';
import { createLogger } from './logger.js';
import { rootsFromEnv } from './roots.js';

export interface RunOptions {
  readonly config?: string;
  readonly dryRun?: boolean;
  readonly stateDir?: string;
}

/** A config that cannot be used: the agent does not start (exit code 2). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(options: RunOptions): LmkConfig {
  let result;
  if (options.config) {
    let text: string;
    try {
      text = readFileSync(options.config, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
      throw new ConfigError(`config ${options.config}: ${why}`);
    }
    result = parseConfigText(text, options.config);
  } else {
    result = parseConfig({});
  }
  // parseConfigText names the file in its message already.
  if (!result.ok) throw new ConfigError(`config ${result.error}`);
  const overrides = { ...(options.dryRun ? { dryRun: true } : {}), ...(options.stateDir ? { stateDir: options.stateDir } : {}) };
  if (Object.keys(overrides).length === 0) return result.config;
  const merged = parseConfig({ ...result.config, ...overrides });
  if (!merged.ok) throw new ConfigError(merged.error);
  return merged.config;
}

/** `lmk-agent run`: the agent in the foreground until SIGTERM, SIGINT or a `stop` request. */
export async function runAgent(options: RunOptions, version: string): Promise<void> {
  const config = loadConfig(options);
  const logger = createLogger();
  const agent = await Agent.start({ config, roots: rootsFromEnv(), logger, version });
  let server;
  try {
    server = await startControlServer(controlSocketPath(agent.stateDir), {
      status: () => agent.status(),
      reload: (json) => agent.reload(json),
      stop: () => agent.stop(),
      subscribe: (listener) => agent.subscribe(listener),
    }, logger);
  } catch (error) {
    // An agent nobody can reach or stop must not stay running (e.g. another agent owns the socket).
    await agent.stop();
    throw error;
  }
  logger.info({ event: 'control', socket: server.socketPath }, 'control socket ready');
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ event: 'signal', signal }, `${signal}: stopping`);
    void agent.stop();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  await agent.stopped;
  await server.close();
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
}
