import type { Stage, WorkRequest } from './requestModel.js';

/**
 * The last step of a request stored before steps had types: the people who carry the approved change out, and what
 * they reported. Only ever read from old files, never written.
 */
interface LegacyTask {
  assigneeIds: string[];
  outcome?: 'done' | 'failed';
  by?: string;
  at?: string;
  note?: string;
}

/** A request as an older Ansvar may have stored it. */
export type StoredRequest = WorkRequest & { task?: LegacyTask };

/**
 * Brings a request stored before the route became a list of typed steps to today's shape: its `task` becomes a
 * last work step ('carry_out', done or failed as the task was), so the engine, the cards and the lists see one
 * model. Stages without a type stay as they are (`stepType` reads them as decisions). `currentStage` keeps its
 * meaning: a request waiting for its task waits at the new step; a task done is passed like an approved step (the
 * index moves past it); a task failed stays at its step, as a rejected decision does. Pure: returns the request
 * itself when there is nothing to change, else a new object sharing the unchanged parts.
 */
export function upgradeStoredRequest(stored: StoredRequest): WorkRequest {
  if (!('task' in stored)) return stored;
  const { task, ...request } = stored;
  if (!task) return request;
  const work: Stage = {
    name: 'carry_out',
    type: 'work',
    role: 'system_administrator',
    approverIds: [...task.assigneeIds],
    skipped: [],
  };
  if (task.outcome) {
    work.decision = { outcome: task.outcome, by: task.by ?? '', at: task.at ?? '' };
    if (task.note !== undefined) work.decision.reason = task.note;
  }
  const index = request.stages.length;
  const currentStage =
    request.currentStage >= index ? (task.outcome === 'done' ? index + 1 : index) : request.currentStage;
  return { ...request, stages: [...request.stages, work], currentStage };
}
