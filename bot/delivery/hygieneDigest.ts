import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import { hygieneReply } from '../../cards/hygieneCard.js';
import type { AuditEvent } from '../../data/requestModel.js';
import type { RequestStore } from '../../data/requestStore.js';
import { AnsvarError } from '../../core/errors.js';
import { findingCounts, needsAttention, type HygieneCheck } from '../../services/hygiene/index.js';
import type { Logger } from '../../core/logger.js';
import type { PersonMessenger } from './personMessenger.js';

/**
 * The daily hygiene digest: for each organisation, ONE card (services/hygiene/index.ts) sent proactively to each of its
 * current IT coordinators, in the organisation's language.
 *
 * - Nothing is sent for an organisation with nothing to act on (`needsAttention`: no finding and the directory
 *   checked); the run is only logged. "All clear" every weekday would teach coordinators to ignore the digest.
 * - A coordinator without a conversation reference (never opened Ansvar) is logged and skipped; so is one whose
 *   send failed or who blocked the app. The digest is not retried: tomorrow's run brings a fresh one.
 * - One audit event `hygiene_digest` per organisation that needed attention (actor 'system', the finding counts and
 *   what happened to the sends), recorded through the request store, from which the audit flusher moves it to the
 *   audit log.
 * - An organisation whose check fails is logged and the run goes on with the next one.
 */

export interface HygieneDigestOptions {
  hygiene: Pick<HygieneCheck, 'organisations' | 'check' | 'coordinators'>;
  messenger: Pick<PersonMessenger, 'tell'>;
  audit: Pick<RequestStore, 'recordAudit'>;
  logger: Logger;
  now: () => Date;
  newId?: () => string;
}

export interface OrganisationDigest {
  organisationId: string;
  /** False: nothing to act on, nothing sent. */
  sent: boolean;
  /** Person ids of the coordinators the card reached, could not be reached (no reference) and whose send failed. */
  delivered: string[];
  unreachable: string[];
  failed: string[];
}

export class HygieneDigest {
  private readonly log: Logger;

  constructor(private readonly options: HygieneDigestOptions) {
    this.log = options.logger.child({ component: 'hygiene.digest' });
  }

  /** One run over every organisation of the register. */
  async run(): Promise<OrganisationDigest[]> {
    const results: OrganisationDigest[] = [];
    for (const organisation of await this.options.hygiene.organisations()) {
      try {
        results.push(await this.runFor(organisation.id));
      } catch (error) {
        this.log.error({ err: error, organisationId: organisation.id }, 'hygiene check failed');
      }
    }
    return results;
  }

  private async runFor(organisationId: string): Promise<OrganisationDigest> {
    const report = await this.options.hygiene.check(organisationId);
    const counts = findingCounts(report);
    const result: OrganisationDigest = {
      organisationId,
      sent: false,
      delivered: [],
      unreachable: [],
      failed: [],
    };
    if (!needsAttention(report)) {
      this.log.info({ organisationId, counts }, 'hygiene check: nothing to report');
      return result;
    }
    result.sent = true;
    const reply = hygieneReply(report, report.organisation.language);
    for (const coordinator of await this.options.hygiene.coordinators(organisationId)) {
      const told = await this.options.messenger.tell(coordinator, { card: reply.card, text: reply.summary });
      if (told === 'sent') result.delivered.push(coordinator.id);
      else if (told === 'unreachable') result.unreachable.push(coordinator.id);
      else result.failed.push(coordinator.id);
    }
    await this.options.audit.recordAudit([
      this.auditEvent(organisationId, counts, report.directoryChecked, result),
    ]);
    this.log.info({ organisationId, counts, delivered: result.delivered.length }, 'hygiene digest sent');
    return result;
  }

  private auditEvent(
    organisationId: string,
    counts: ReturnType<typeof findingCounts>,
    directoryChecked: boolean,
    result: OrganisationDigest,
  ): AuditEvent {
    return {
      id: (this.options.newId ?? randomUUID)(),
      at: this.options.now().toISOString(),
      type: 'hygiene_digest',
      actor: 'system',
      organisationId,
      details: {
        ...counts,
        directoryChecked,
        delivered: result.delivered.length,
        unreachable: result.unreachable.length,
        failed: result.failed.length,
      },
    };
  }
}

export interface HygieneSchedulerOptions {
  /** One run (the digest's `run`). */
  run: () => Promise<unknown>;
  /** Cron pattern (minute hour day-of-month month day-of-week); default weekdays at 07:00. */
  schedule?: string;
  /** IANA time zone the pattern is read in; default Europe/Stockholm. */
  timeZone?: string;
  /**
   * Asked at each due time; the run happens only when it resolves true (several instances on one database: exactly
   * one of them runs each due time). Default: always.
   */
  claim?: (dueAt: Date) => Promise<boolean>;
  logger: Logger;
}

export const DEFAULT_HYGIENE_SCHEDULE = '0 7 * * 1-5';
export const DEFAULT_HYGIENE_TIME_ZONE = 'Europe/Stockholm';

/**
 * Runs the digest on a cron schedule (croner: time zones and daylight saving handled). A run never overlaps the
 * previous one: a run due while one is still going is skipped (logged), as is `runNow` then. A failed run is
 * logged and the schedule goes on. The timer does not keep the process alive; `stop()` waits for a run under way.
 */
export class HygieneScheduler {
  private readonly schedule: string;
  private readonly timeZone: string;
  private readonly log: Logger;
  private job?: Cron;
  private running?: Promise<void>;

  /** Throws AnsvarError('InvalidConfig') for a pattern or time zone croner cannot read. */
  constructor(private readonly options: HygieneSchedulerOptions) {
    this.schedule = options.schedule ?? DEFAULT_HYGIENE_SCHEDULE;
    this.timeZone = options.timeZone ?? DEFAULT_HYGIENE_TIME_ZONE;
    this.log = options.logger.child({ component: 'hygiene.scheduler' });
    this.nextRun(new Date());
  }

  start(): void {
    if (this.job) return;
    this.job = new Cron(this.schedule, { timezone: this.timeZone, unref: true }, (job: Cron) =>
      this.runDue(job.currentRun() ?? new Date()),
    );
    this.log.info(
      { schedule: this.schedule, timeZone: this.timeZone, next: this.job.nextRun() },
      'scheduled',
    );
  }

  async stop(): Promise<void> {
    this.job?.stop();
    this.job = undefined;
    await this.running;
  }

  /** The first run after `after`. */
  nextRun(after: Date): Date | null {
    try {
      return new Cron(this.schedule, { timezone: this.timeZone, paused: true }).nextRun(after);
    } catch (error) {
      throw new AnsvarError(
        'InvalidConfig',
        `hygiene schedule "${this.schedule}" in ${this.timeZone}: ${(error as Error).message}`,
        {},
        { cause: error },
      );
    }
  }

  /**
   * The run of one due time: only when `claim` grants it (another instance may have it), and never while a run is
   * under way. Resolves when that run (or the refusal) is over.
   */
  async runDue(dueAt: Date): Promise<void> {
    const due = new Date(Math.floor(dueAt.getTime() / 1000) * 1000);
    let mine: boolean;
    try {
      mine = (await this.options.claim?.(due)) ?? true;
    } catch (error) {
      this.log.error({ err: error, dueAt: due }, 'could not claim the hygiene run; skipped');
      return;
    }
    if (!mine) {
      this.log.info({ dueAt: due }, 'hygiene run of this due time belongs to another instance');
      return;
    }
    await this.runNow();
  }

  /** One run now, unless one is under way (then that one is awaited and nothing more is run). */
  runNow(): Promise<void> {
    if (this.running) {
      this.log.warn('hygiene run still under way; this one is skipped');
      return this.running;
    }
    // Through `then`, so even a run that throws at once ends after `running` is set, and clears it.
    const run = Promise.resolve()
      .then(() => this.options.run())
      .then(
        () => undefined,
        (error: unknown) => this.log.error({ err: error }, 'hygiene run failed'),
      )
      .finally(() => {
        this.running = undefined;
      });
    this.running = run;
    return run;
  }
}
