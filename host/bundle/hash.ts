import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Digest of a file's contents, streamed: node is close to 100 MB. */
export function hashFile(path: string, algorithm: 'sha256' | 'sha512', encoding: 'hex' | 'base64' = 'hex'): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm);
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest(encoding)));
  });
}

/** npm's Subresource Integrity string (`sha512-<base64>`) of a file. */
export async function integrityOf(path: string): Promise<string> {
  return `sha512-${await hashFile(path, 'sha512', 'base64')}`;
}
