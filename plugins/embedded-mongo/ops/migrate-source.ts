/**
 * The source of a migration: an engine started by the tool on the data folder (which must not be
 * in use), or on a temporary restore of a backup file (so a running installation can be migrated
 * from a snapshot without stopping it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedMongo, type EmbeddedMongo } from '../index.ts';
import { FolderInUseError } from '../storage/lock.ts';
import { OpsError } from './cli-io.ts';
import { engineFilePath, hasEngineFile } from './engine-file.ts';
import { restoreBackup } from './restore.ts';

export interface MigrationSource {
  uri: string;
  close(): Promise<void>;
}

export async function openDataFolder(dbPath: string): Promise<MigrationSource> {
  const dir = path.resolve(dbPath);
  if (!hasEngineFile(dir)) throw new OpsError(`no embedded-engine data in ${dir} (expected ${engineFilePath(dir)})`);
  const engine = await startSourceEngine(dir);
  return { uri: engine.uri, close: () => engine.close() };
}

export async function openBackupFile(backupFile: string): Promise<MigrationSource> {
  const dir = mkdtempSync(path.join(tmpdir(), 'relata-migrate-'));
  try {
    restoreBackup({ backupFile, dbPath: dir, force: false });
    const engine = await startSourceEngine(dir);
    return {
      uri: engine.uri,
      async close() {
        await engine.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function startSourceEngine(dir: string): Promise<EmbeddedMongo> {
  try {
    return await startEmbeddedMongo({ dataDir: dir, port: 0 });
  } catch (err) {
    if (err instanceof FolderInUseError || (err instanceof Error && err.cause instanceof FolderInUseError)) {
      throw new OpsError(
        `${dir} is in use by a running engine. Stop it first, or migrate from a snapshot without stopping it: ` +
          `npm run db:backup -- --dbpath ${dir} --out snapshot.sqlite3, then --from-backup snapshot.sqlite3`,
      );
    }
    throw err;
  }
}
