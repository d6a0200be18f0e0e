import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config.js';
import { CliError } from '../cli-error.js';
import type { AgentSite } from '../commands/agent-client.js';
import { DEVICE_INSTALL_DIR } from '../device/device.js';

/** Where `lmk start` puts the config on a device, next to the bundle (where lmk deploy puts one too). */
export const DEVICE_CONFIG = `${DEVICE_INSTALL_DIR}/config.json`;

/**
 * `config` with its stateDir set to the site's (so `lmk status` and the rest find the agent where
 * they look), checked here: a bad one is refused as `LABEL: <the bad field's path>: …`, exit 2.
 */
export function configForSite(config: Record<string, unknown>, stateDir: string, label: string): Record<string, unknown> {
  const withStateDir = { ...config, stateDir };
  const checked = parseConfig(withStateDir);
  if (!checked.ok) throw new CliError(`${label}: ${checked.error}`, 2);
  return withStateDir;
}

/** Pushes a config to `path` on the site's device through a private temporary file. */
export async function pushConfig(site: AgentSite, config: Record<string, unknown>, path: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lmk-config-'));
  try {
    const file = join(dir, 'config.json');
    writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    await site.device.push(file, path, 0o644);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
