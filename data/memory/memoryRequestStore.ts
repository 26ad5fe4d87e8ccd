import { AnsvarError } from '../../core/errors.js';
import { DraftRequestStore, emptyRequestState, RequestDraft, type RequestState } from '../requestDrafts.js';

/**
 * The reference implementation of the RequestStore contract, in memory. Used by tests and the request engine's
 * unit tests. Every operation completes synchronously inside its promise, so operations never interleave.
 */
export class MemoryRequestStore extends DraftRequestStore {
  protected state: RequestState = emptyRequestState();
  private closed = false;

  async close(): Promise<void> {
    this.closed = true;
  }

  protected change<T>(operation: (draft: RequestDraft) => T): Promise<T> {
    try {
      this.assertOpen();
      const draft = new RequestDraft(this.state);
      const result = operation(draft);
      this.state = draft.current;
      return Promise.resolve(result);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  protected assertOpen(): void {
    if (this.closed) throw new AnsvarError('StoreLocked', 'the memory request store is closed');
  }
}
