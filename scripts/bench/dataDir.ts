import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../bot/app.js';
import { openLowRegisterStore } from '../../data/lowdb/lowRegisterStore.js';
import type { Register, RegisterSnapshot } from '../../data/model.js';
import { loadSampleRegister } from '../../services/register/importer.js';

/** Data directories for the benchmark's servers, written with the product's own store (and importer). */

export function makeTempDir(name: string): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), `ansvar-bench-${name}-`));
}

export function removeDir(dir: string): Promise<void> {
  return fsp.rm(dir, { recursive: true, force: true });
}

/** Writes `register` as one change set into the (empty) store in `dir`. */
export async function writeRegister(dir: string, register: Register): Promise<void> {
  const store = await openLowRegisterStore(dir);
  try {
    await store.apply(register, await store.revision());
  } finally {
    await store.close();
  }
}

/** Imports data/sample/*.csv into the store in `dir`, as the server does on an empty store; returns the result. */
export async function writeSampleRegister(dir: string): Promise<RegisterSnapshot> {
  const store = await openLowRegisterStore(dir);
  try {
    await loadSampleRegister(store, path.join(projectRoot(), 'data', 'sample'));
    return await store.snapshot();
  } finally {
    await store.close();
  }
}
