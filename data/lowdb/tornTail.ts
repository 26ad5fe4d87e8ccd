import fsp, { type FileHandle } from 'node:fs/promises';

/*
 * Repairs of an append-only JSON-lines file (the audit log, the request archive) whose last append a crash cut off.
 * Appends resolve only once the whole record and its newline are synced, so a torn tail was never acknowledged.
 */

/**
 * Copies the torn tail (`bytes`, starting at `offset`) to `<file>.torn-<time>`, kept for inspection, and cuts it off
 * the file, synced. Resolves with the name of the copy.
 */
export async function setTornTailAside(
  handle: FileHandle,
  file: string,
  offset: number,
  bytes: Buffer | string,
): Promise<string> {
  const aside = `${file}.torn-${Date.now()}`;
  await fsp.writeFile(aside, bytes, { mode: 0o600, flush: true });
  await handle.truncate(offset);
  await handle.sync();
  return aside;
}

/** Adds the newline after a last record that is whole but lost its newline, synced. */
export async function addMissingNewline(handle: FileHandle): Promise<void> {
  await handle.write('\n', null, 'utf8');
  await handle.sync();
}
