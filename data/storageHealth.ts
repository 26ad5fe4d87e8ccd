/*
 * Whether the disk takes writes: the embedded store's file layer (data/lowdb/) reports failed and succeeded writes
 * here, and the bot reads it for /healthz and for the "could not save" answer, whichever store it runs on.
 */

/** errno codes that mean "the disk cannot take writes now" (full, over quota, failing, read-only). */
export const STORAGE_ERROR_CODES = ['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EFBIG'] as const;

/** The errno code of `error` or of any error in its cause chain, if it is one of STORAGE_ERROR_CODES. */
export function storageErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (STORAGE_ERROR_CODES as readonly string[]).includes(code)) return code;
    const reason = (e as { details?: { reason?: unknown } }).details?.reason;
    if (typeof reason === 'string' && (STORAGE_ERROR_CODES as readonly string[]).includes(reason))
      return reason;
  }
  return undefined;
}

/**
 * Which data files could not be written, so the bot can say "not ready" (/healthz) and tell users plainly that
 * changes cannot be saved. A file is healthy again after its next successful write, or after `recovered()`
 * (a probe write in the data directory succeeded). One per app; the durable file layer reports into it.
 */
export class StorageHealth {
  private readonly failing = new Map<string, { code: string; at: string }>();
  private readonly listeners = new Set<() => void>();

  /** Undefined while every write succeeds; else why and since when, for the first failing file. */
  get problem(): { reason: string; file: string; since: string } | undefined {
    const first = this.failing.entries().next();
    if (first.done) return undefined;
    const [file, { code, at }] = first.value;
    return { reason: code, file, since: at };
  }

  failed(file: string, error: unknown): void {
    const code = storageErrorCode(error) ?? (error as { code?: unknown })?.code;
    if (typeof code !== 'string' || !(STORAGE_ERROR_CODES as readonly string[]).includes(code)) return;
    const was = this.failing.size;
    if (!this.failing.has(file)) this.failing.set(file, { code, at: new Date().toISOString() });
    if (was === 0) for (const listener of this.listeners) listener();
  }

  succeeded(file: string): void {
    this.failing.delete(file);
  }

  recovered(): void {
    this.failing.clear();
  }

  /** Called when the first file starts failing (the app starts probing for space then). */
  onFailure(listener: () => void): void {
    this.listeners.add(listener);
  }
}
