import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** One parsed JSON file of a data directory, named by its file name for messages ("storsjo-kommun.json: ..."). */
export interface JsonDocument {
  source: string;
  data: unknown;
}

/**
 * Every `*.json` in `dir`, parsed, in file-name order: how the routing policies and the equipment catalogues are
 * read. Files that do not parse are returned as problems ("name: message"), all of them, so a start that fails
 * names every bad file at once.
 */
export async function readJsonDocuments(
  dir: string,
): Promise<{ documents: JsonDocument[]; problems: string[] }> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  const documents: JsonDocument[] = [];
  const problems: string[] = [];
  for (const name of names) {
    try {
      documents.push({ source: name, data: JSON.parse(await readFile(path.join(dir, name), 'utf8')) });
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { documents, problems };
}
