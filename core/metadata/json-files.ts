import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The parsed `*.json` files of a folder, in name order; none when the folder is missing. */
export async function readJsonFiles(folder: string): Promise<Array<{ file: string; value: unknown }>> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return Promise.all(names.map(async (name) => ({ file: join(folder, name), value: JSON.parse(await readFile(join(folder, name), 'utf8')) as unknown })));
}
