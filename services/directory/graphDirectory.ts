import type { TokenCredential } from '@azure/identity';
import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { AnsvarError, isAnsvarError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import { recordGraphBatchItems } from '../../core/telemetry.js';
import type { Directory, DirectoryPerson, PersonStatus } from './directory.js';
import { createGraphClient, normaliseGraphBaseUrl, withDeadline } from './graphClient.js';
import { TtlCache } from './ttlCache.js';

/**
 * The directory backed by Microsoft Graph (Entra ID users, their managers and their automatic replies).
 *
 * - Construction makes no call; the first lookup fetches the token and calls Graph.
 * - Every Graph call has a deadline (`timeoutMs`, retries included); unreachable, 5xx after retries, timeout or a
 *   refused token all become AnsvarError('DirectoryUnavailable').
 * - Plain calls: the client's RetryHandler retries 429/503/504 honouring Retry-After. `$batch` inner requests are
 *   not retried by the client, so throttled inner requests are re-sent here, honouring their Retry-After, bounded.
 * - Results (found or not) are cached for `cacheTtlSeconds`.
 *
 * Permissions (application): User.Read.All; MailboxSettings.Read for out-of-office. Without the latter every
 * mailbox answers 403 and nobody is out of office.
 */

/** The only user fields Ansvar reads; `accountEnabled` is not in Graph's default set, so `$select` is required. */
export const USER_SELECT = [
  'id',
  'displayName',
  'userPrincipalName',
  'mail',
  'jobTitle',
  'department',
  'accountEnabled',
] as const;

/** Graph's limit of requests in one `$batch`. */
export const MAX_BATCH_REQUESTS = 20;
const REQUESTS_PER_PERSON = 2;
const RETRYABLE = new Set([429, 503, 504]);

export interface GraphDirectorySettings {
  /** Graph endpoint without version, e.g. https://graph.microsoft.com. */
  baseUrl: string;
  timeoutMs: number;
  cacheTtlSeconds: number;
}

export interface GraphDirectoryOptions {
  credential: TokenCredential;
  now?: () => Date;
  /** How long to wait before re-sending throttled `$batch` requests; the seam tests use to see the waits. */
  sleep?: (ms: number) => Promise<void>;
  /** Parallel `$batch` calls of one `statusOf`. */
  batchConcurrency?: number;
  /** Rounds of re-sending throttled inner `$batch` requests. */
  maxBatchRetries?: number;
  /** A Retry-After longer than this ends the retries instead of holding up the answer. */
  maxRetryAfterSeconds?: number;
}

const nullable = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

const graphUserSchema = z.object({
  id: z.string(),
  userPrincipalName: z.string(),
  displayName: nullable(z.string()),
  mail: nullable(z.string()),
  jobTitle: nullable(z.string()),
  department: nullable(z.string()),
  accountEnabled: nullable(z.boolean()),
});

const dateTimeTimeZoneSchema = z.object({ dateTime: z.string(), timeZone: nullable(z.string()) });

const automaticRepliesSchema = z.object({
  status: z.string(),
  scheduledStartDateTime: nullable(dateTimeTimeZoneSchema),
  scheduledEndDateTime: nullable(dateTimeTimeZoneSchema),
});
type AutomaticReplies = z.infer<typeof automaticRepliesSchema>;

interface BatchRequest {
  id: string;
  method: 'GET';
  url: string;
}
const batchResponseSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});
type BatchResponse = z.infer<typeof batchResponseSchema>['responses'][number];

export class GraphDirectory implements Directory {
  readonly kind = 'graph' as const;
  private readonly client: Client;
  private readonly settings: GraphDirectorySettings;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly batchConcurrency: number;
  private readonly maxBatchRetries: number;
  private readonly maxRetryAfterSeconds: number;
  /** Keyed by lower-cased object id or UPN; `null` = no such user. */
  private readonly users: TtlCache<DirectoryPerson | null>;
  private readonly managers: TtlCache<DirectoryPerson | null>;
  private readonly statuses: TtlCache<PersonStatus>;

  constructor(settings: GraphDirectorySettings, options: GraphDirectoryOptions) {
    this.settings = { ...settings, baseUrl: normaliseGraphBaseUrl(settings.baseUrl) };
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.batchConcurrency = options.batchConcurrency ?? 4;
    this.maxBatchRetries = options.maxBatchRetries ?? 3;
    this.maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 10;

    this.client = createGraphClient(this.settings.baseUrl, options.credential);

    const ttlMs = settings.cacheTtlSeconds * 1000;
    const clock = () => this.now().getTime();
    this.users = new TtlCache({ ttlMs, now: clock });
    this.managers = new TtlCache({ ttlMs, now: clock });
    this.statuses = new TtlCache({ ttlMs, now: clock });
  }

  findById(objectId: string): Promise<DirectoryPerson | undefined> {
    return this.findUser(objectId);
  }

  findByUpn(upn: string): Promise<DirectoryPerson | undefined> {
    return this.findUser(upn);
  }

  async managerOf(upn: string): Promise<DirectoryPerson | undefined> {
    const key = upn.trim().toLowerCase();
    const manager = await this.managers.getOrLoad(key, async () => {
      const body = await this.getJson(`/users/${encodeURIComponent(key)}/manager`, 'manager', [404]);
      if (body === undefined) return null;
      // The manager can be an organisational contact, which has no UPN: not a person Ansvar can route to.
      const parsed = graphUserSchema.safeParse(body);
      return parsed.success ? toPerson(parsed.data) : null;
    });
    return manager ?? undefined;
  }

  async statusOf(upns: readonly string[]): Promise<Map<string, PersonStatus>> {
    const wanted = [...new Set(upns.map((u) => u.trim().toLowerCase()))];
    const known = new Map<string, PersonStatus>();
    const missing: string[] = [];
    for (const upn of wanted) {
      const cached = this.statuses.get(upn);
      if (cached === undefined) missing.push(upn);
      else known.set(upn, cached);
    }

    const perBatch = MAX_BATCH_REQUESTS / REQUESTS_PER_PERSON;
    const groups: string[][] = [];
    for (let i = 0; i < missing.length; i += perBatch) groups.push(missing.slice(i, i + perBatch));
    const fetched = await mapBounded(groups, this.batchConcurrency, (group) => this.fetchStatuses(group));
    for (const status of fetched.flat()) {
      this.statuses.set(status.upn, status);
      known.set(status.upn, status);
    }

    const result = new Map<string, PersonStatus>();
    for (const requested of upns) {
      const status = known.get(requested.trim().toLowerCase());
      if (status !== undefined) result.set(requested, { ...status });
    }
    return result;
  }

  private async findUser(idOrUpn: string): Promise<DirectoryPerson | undefined> {
    const key = idOrUpn.trim().toLowerCase();
    const person = await this.users.getOrLoad(key, async () => {
      const body = await this.getJson(`/users/${encodeURIComponent(key)}`, 'user', [404]);
      if (body === undefined) return null;
      const person = this.parseUser(body);
      this.rememberUser(person);
      return person;
    });
    return person ?? undefined;
  }

  /** One `$batch` (≤ 20 requests): the user and the automatic replies of each person. */
  private async fetchStatuses(upns: readonly string[]): Promise<PersonStatus[]> {
    const requests: BatchRequest[] = upns.flatMap((upn, i) => [
      {
        id: `user-${i}`,
        method: 'GET',
        url: `/users/${encodeURIComponent(upn)}?$select=${USER_SELECT.join(',')}`,
      },
      {
        id: `replies-${i}`,
        method: 'GET',
        url: `/users/${encodeURIComponent(upn)}/mailboxSettings/automaticRepliesSetting`,
      },
    ]);
    const responses = await this.sendBatch(requests);
    const now = this.now();

    return upns.map((upn, i) => {
      const user = responses.get(`user-${i}`);
      if (user?.status === 404) return { upn, found: false, accountEnabled: false, outOfOffice: false };
      if (user === undefined || user.status !== 200) {
        throw new AnsvarError(
          'DirectoryUnavailable',
          `Graph $batch: user lookup answered ${user?.status ?? 'nothing'}`,
          {
            status: user?.status,
            body: user?.body,
          },
        );
      }
      const person = this.parseUser(user.body);
      this.rememberUser(person);
      const status: PersonStatus = {
        upn,
        found: true,
        accountEnabled: person.accountEnabled,
        outOfOffice: false,
      };

      const replies = responses.get(`replies-${i}`);
      if (replies?.status === 200) {
        const parsed = automaticRepliesSchema.safeParse(replies.body);
        if (parsed.success) Object.assign(status, outOfOfficeAt(parsed.data, now));
      } else if (replies !== undefined && replies.status !== 403 && replies.status !== 404) {
        logger.debug(
          { upn, status: replies.status },
          'automatic replies unknown; treated as not out of office',
        );
      }
      return status;
    });
  }

  /**
   * Posts a `$batch` and re-sends the inner requests Graph answered 429/503/504, after the longest Retry-After
   * among them. Gives up (leaving the last answer) after `maxBatchRetries` rounds or when Graph asks for a wait
   * longer than `maxRetryAfterSeconds`.
   */
  private async sendBatch(requests: readonly BatchRequest[]): Promise<Map<string, BatchResponse>> {
    const answered = new Map<string, BatchResponse>();
    let pending = [...requests];
    for (let round = 0; pending.length > 0; round += 1) {
      const body = await this.postBatch(pending);
      const retry: BatchRequest[] = [];
      let waitSeconds = 0;
      for (const response of body.responses) {
        answered.set(response.id, response);
        if (RETRYABLE.has(response.status)) {
          const request = pending.find((r) => r.id === response.id);
          if (request !== undefined) retry.push(request);
          waitSeconds = Math.max(waitSeconds, retryAfterSeconds(response.headers, this.now()) ?? 2 ** round);
        }
      }
      recordGraphBatchItems(body.responses, round > 0);
      if (retry.length === 0) break;
      if (round >= this.maxBatchRetries || waitSeconds > this.maxRetryAfterSeconds) {
        logger.warn(
          { throttled: retry.length, waitSeconds, round },
          'Graph $batch still throttled; giving up',
        );
        break;
      }
      await this.sleep(waitSeconds * 1000);
      pending = retry;
    }
    return answered;
  }

  private async postBatch(requests: readonly BatchRequest[]): Promise<z.infer<typeof batchResponseSchema>> {
    const body = await this.call('$batch', (signal) =>
      this.client.api('/$batch').option('signal', signal).post({ requests }),
    );
    const parsed = batchResponseSchema.safeParse(body);
    if (!parsed.success)
      throw new AnsvarError('DirectoryUnavailable', 'Graph $batch: unexpected response shape');
    return parsed.data;
  }

  /** GET of a user-shaped resource with `$select` of the user fields; an `absentOn` status resolves to undefined. */
  private getJson(path: string, what: string, absentOn: readonly number[]): Promise<unknown> {
    return this.call(
      what,
      (signal) =>
        this.client
          .api(path)
          .select([...USER_SELECT])
          .option('signal', signal)
          .get(),
      absentOn,
    );
  }

  /**
   * Runs one Graph call under the deadline. An HTTP status in `absentOn` resolves to undefined; every other
   * failure (no answer, refused token, an error status after the client's retries) is DirectoryUnavailable.
   */
  private async call<T>(
    what: string,
    run: (signal: AbortSignal) => Promise<T>,
    absentOn: readonly number[] = [],
  ): Promise<T | undefined> {
    try {
      return await withDeadline(
        this.settings.timeoutMs,
        run,
        () =>
          new AnsvarError(
            'DirectoryUnavailable',
            `Graph ${what}: no answer within ${this.settings.timeoutMs} ms`,
          ),
      );
    } catch (error) {
      if (error instanceof GraphError && absentOn.includes(error.statusCode)) return undefined;
      if (isAnsvarError(error)) {
        logger.warn({ what, err: error.message }, 'Graph unavailable');
        throw error;
      }
      const status = error instanceof GraphError && error.statusCode > 0 ? error.statusCode : undefined;
      logger.warn({ what, status, err: (error as Error).message }, 'Graph unavailable');
      throw new AnsvarError(
        'DirectoryUnavailable',
        `Graph ${what}: ${status === undefined ? 'unreachable' : `answered ${status}`}`,
        { status },
        { cause: error },
      );
    }
  }

  private parseUser(body: unknown): DirectoryPerson {
    const parsed = graphUserSchema.safeParse(body);
    if (!parsed.success)
      throw new AnsvarError('DirectoryUnavailable', 'Graph user: unexpected response shape');
    return toPerson(parsed.data);
  }

  private rememberUser(person: DirectoryPerson): void {
    this.users.set(person.id.toLowerCase(), person);
    this.users.set(person.upn, person);
  }
}

function toPerson(user: z.infer<typeof graphUserSchema>): DirectoryPerson {
  const person: DirectoryPerson = {
    id: user.id,
    upn: user.userPrincipalName.toLowerCase(),
    displayName: user.displayName ?? user.userPrincipalName,
    accountEnabled: user.accountEnabled ?? true,
  };
  if (user.jobTitle !== undefined) person.jobTitle = user.jobTitle;
  if (user.department !== undefined) person.department = user.department;
  if (user.mail !== undefined) person.mail = user.mail;
  return person;
}

/** alwaysEnabled is out of office; scheduled only inside [start, end). */
export function outOfOfficeAt(
  replies: AutomaticReplies,
  now: Date,
): Pick<PersonStatus, 'outOfOffice' | 'outOfOfficeUntil'> {
  if (replies.status === 'alwaysEnabled') return { outOfOffice: true };
  if (replies.status !== 'scheduled') return { outOfOffice: false };
  const start = replies.scheduledStartDateTime && toInstant(replies.scheduledStartDateTime);
  const end = replies.scheduledEndDateTime && toInstant(replies.scheduledEndDateTime);
  const t = now.getTime();
  const inside = (start === undefined || start.getTime() <= t) && (end === undefined || t < end.getTime());
  if (!inside) return { outOfOffice: false };
  return end === undefined
    ? { outOfOffice: true }
    : { outOfOffice: true, outOfOfficeUntil: end.toISOString() };
}

/**
 * Windows time-zone names Graph may use for Nordic mailboxes, mapped to IANA; others fall back to UTC (an error
 * of at most a few hours at the edges of an out-of-office window).
 */
const WINDOWS_ZONES: Record<string, string> = {
  'w. europe standard time': 'Europe/Stockholm',
  'romance standard time': 'Europe/Paris',
  'central europe standard time': 'Europe/Budapest',
  'central european standard time': 'Europe/Warsaw',
  'gmt standard time': 'Europe/London',
  'fle standard time': 'Europe/Helsinki',
  'greenwich standard time': 'Atlantic/Reykjavik',
};

/** A Graph dateTimeTimeZone ("2030-01-01T08:00:00.0000000" in "W. Europe Standard Time") as an instant. */
export function toInstant(value: { dateTime: string; timeZone?: string | undefined }): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?$/.exec(
    value.dateTime.trim(),
  );
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, offset] = m;
  const wall = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s ?? 0),
    Number(((frac ?? '') + '000').slice(0, 3)),
  );
  if (offset !== undefined) {
    if (offset === 'Z') return new Date(wall);
    const sign = offset.startsWith('-') ? -1 : 1;
    const minutes = Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6));
    return new Date(wall - sign * minutes * 60_000);
  }
  const zone = ianaZone(value.timeZone);
  if (zone === undefined) return new Date(wall);
  const firstGuess = wall - zoneOffsetMs(zone, wall);
  return new Date(wall - zoneOffsetMs(zone, firstGuess));
}

function ianaZone(timeZone: string | undefined): string | undefined {
  if (timeZone === undefined) return undefined;
  const name = timeZone.trim();
  if (/^(utc|etc\/utc|gmt|coordinated universal time)$/i.test(name)) return undefined;
  const mapped = WINDOWS_ZONES[name.toLowerCase()];
  if (mapped !== undefined) return mapped;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name;
  } catch {
    logger.debug({ timeZone: name }, 'unknown time zone; read as UTC');
    return undefined;
  }
}

/** Offset of `zone` from UTC at instant `at`, in ms (positive east of Greenwich). */
function zoneOffsetMs(zone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** Retry-After as seconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
function retryAfterSeconds(headers: Record<string, string> | undefined, now: Date): number | undefined {
  if (headers === undefined) return undefined;
  const raw = Object.entries(headers).find(([name]) => name.toLowerCase() === 'retry-after')?.[1];
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now.getTime()) / 1000);
}

/** `map` with at most `limit` calls in flight; results in input order. */
async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
