/**
 * Test helper: a fresh embedded engine in a temporary folder, reached over TCP
 * through the official driver like every other client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../plugins/embedded-mongo/index.ts';

export interface TestEngine extends EmbeddedMongo {
  dataDir: string;
  /** stops the engine and deletes its folder */
  dispose(): Promise<void>;
}

export function makeTempDir(prefix = 'relata-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startTestEngine(): Promise<TestEngine> {
  const dataDir = makeTempDir('relata-engine-');
  const engine = await startEmbeddedMongo({ dataDir, port: 0 });
  return {
    ...engine,
    dataDir,
    async dispose() {
      await engine.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
