import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/identity';

/**
 * A fake Microsoft Graph v1.0 on 127.0.0.1 for the directory's calls: users by id or UPN (with `$select`, and
 * Graph's default field set without it, which lacks accountEnabled), managers, automatic replies, `$batch`
 * (≤ 20 requests, inner requests answered independently), and app installs in a user's personal scope
 * (`POST /users/{id | upn}/teamwork/installedApps`: 201 with no body, 409 when installed, 404 for an unknown user or
 * catalog app, or the status set by `refuseInstall`). Requests need `Authorization: Bearer <token>`.
 *
 *   const graph = await FakeGraphServer.start();
 *   graph.addUser({ userPrincipalName: 'anna@kommun.se' });
 *   new GraphDirectory({ baseUrl: graph.baseUrl, ... }, { credential: new FakeTokenCredential(graph.token) });
 *   graph.requests / graph.batchSizes() / graph.throttleNextRequests(1) / graph.close()
 */

export interface FakeGraphUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail: string | null;
  jobTitle: string | null;
  department: string | null;
  accountEnabled: boolean;
  /** Object id of the manager. */
  managerId?: string;
}

export interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

export interface AutomaticRepliesSetting {
  status: 'disabled' | 'alwaysEnabled' | 'scheduled';
  scheduledStartDateTime?: DateTimeTimeZone;
  scheduledEndDateTime?: DateTimeTimeZone;
}

export interface RecordedRequest {
  method: string;
  /** Path below /v1.0, decoded, e.g. `/users/anna@kommun.se`. */
  path: string;
  /** `$select` fields, when the request had one. */
  select?: string[];
  /** True for a request inside a `$batch`. */
  inBatch: boolean;
  /** For the `$batch` POST itself: how many requests it carried. */
  batchSize?: number;
  authorization?: string;
  /** Parsed JSON body of a POST outside `$batch`. */
  body?: unknown;
  status: number;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

const DEFAULT_FIELDS = ['id', 'displayName', 'userPrincipalName', 'mail', 'jobTitle'] as const;

let userSeq = 0;

export class FakeGraphServer {
  readonly requests: RecordedRequest[] = [];
  private readonly users = new Map<string, FakeGraphUser>();
  private readonly replies = new Map<string, AutomaticRepliesSetting>();
  private readonly mailboxErrors = new Map<string, number>();
  private readonly catalogApps = new Set<string>();
  /** User object id (lower case) → catalog ids of the apps installed in their personal scope. */
  private readonly installed = new Map<string, Set<string>>();
  private readonly installErrors = new Map<string, number>();
  private throttledRequests = 0;
  private throttledRequestsRetryAfter = '0';
  private throttledBatchItems = 0;
  private throttledBatchItemsRetryAfter = '0';
  private failStatus: number | undefined;
  private hanging = false;

  private constructor(
    private readonly server: http.Server,
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  static async start(options: { token?: string } = {}): Promise<FakeGraphServer> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeGraphServer(server, `http://127.0.0.1:${port}`, options.token ?? 'fake-graph-token');
    server.on('request', (req, res) => fake.handle(req, res));
    return fake;
  }

  /** Adds a user; defaults derive from the UPN. Returns the stored user (with its generated object id). */
  addUser(user: Partial<FakeGraphUser> & { userPrincipalName: string }): FakeGraphUser {
    userSeq += 1;
    const upn = user.userPrincipalName;
    const local = upn.split('@')[0] ?? upn;
    const stored: FakeGraphUser = {
      id: `00000000-0000-4000-8000-${String(userSeq).padStart(12, '0')}`,
      displayName: local,
      mail: upn,
      jobTitle: null,
      department: null,
      accountEnabled: true,
      ...user,
    };
    this.users.set(stored.id.toLowerCase(), stored);
    return stored;
  }

  setDisabled(idOrUpn: string, disabled = true): void {
    this.user(idOrUpn).accountEnabled = !disabled;
  }

  /** The user disappears: every call about them answers 404. */
  deleteUser(idOrUpn: string): void {
    this.users.delete(this.user(idOrUpn).id.toLowerCase());
  }

  setManager(idOrUpn: string, managerIdOrUpn: string): void {
    this.user(idOrUpn).managerId = this.user(managerIdOrUpn).id;
  }

  setAutomaticReplies(idOrUpn: string, setting: AutomaticRepliesSetting): void {
    this.replies.set(this.user(idOrUpn).id.toLowerCase(), setting);
  }

  /** Out of office with no end (`alwaysEnabled`), or `scheduled` between two UTC instants. */
  setOutOfOffice(idOrUpn: string, window?: { start: Date; end: Date }): void {
    if (window === undefined) {
      this.setAutomaticReplies(idOrUpn, { status: 'alwaysEnabled' });
      return;
    }
    const utc = (d: Date): DateTimeTimeZone => ({
      dateTime: d.toISOString().replace('Z', '0000'),
      timeZone: 'UTC',
    });
    this.setAutomaticReplies(idOrUpn, {
      status: 'scheduled',
      scheduledStartDateTime: utc(window.start),
      scheduledEndDateTime: utc(window.end),
    });
  }

  /** The user's mailbox settings answer this status (403: no permission; 404: no Exchange mailbox). */
  setMailboxError(idOrUpn: string, status: number): void {
    this.mailboxErrors.set(this.user(idOrUpn).id.toLowerCase(), status);
  }

  /** Publishes an app to the organisation's catalog under this catalog id. */
  addCatalogApp(catalogAppId: string): void {
    this.catalogApps.add(catalogAppId.toLowerCase());
  }

  /** The app is installed for the user already (a later install answers 409). */
  setInstalled(idOrUpn: string, catalogAppId: string): void {
    const id = this.user(idOrUpn).id.toLowerCase();
    const apps = this.installed.get(id) ?? new Set<string>();
    apps.add(catalogAppId.toLowerCase());
    this.installed.set(id, apps);
  }

  /** Catalog ids of the apps installed for the user. */
  installedApps(idOrUpn: string): string[] {
    return [...(this.installed.get(this.user(idOrUpn).id.toLowerCase()) ?? [])];
  }

  /** Installs for the user answer `status` (403: blocked by policy or no permission; 404: as if unknown). */
  refuseInstall(idOrUpn: string, status: number): void {
    this.installErrors.set(this.user(idOrUpn).id.toLowerCase(), status);
  }

  /** The next `count` HTTP requests (a `$batch` POST counts as one) answer 429 with this Retry-After. */
  throttleNextRequests(count: number, retryAfterSeconds = 0): void {
    this.throttledRequests = count;
    this.throttledRequestsRetryAfter = String(retryAfterSeconds);
  }

  /** The next `count` requests inside `$batch` calls answer 429 inside a 200 batch response. */
  throttleNextBatchItems(count: number, retryAfterSeconds = 0): void {
    this.throttledBatchItems = count;
    this.throttledBatchItemsRetryAfter = String(retryAfterSeconds);
  }

  /** Every request answers `status` (e.g. 500) until called again with undefined. */
  failAll(status: number | undefined): void {
    this.failStatus = status;
  }

  /** Every request is recorded (status 0) and never answered, until `close`. */
  hang(): void {
    this.hanging = true;
  }

  /** Requests of the `$batch` POSTs, in order. */
  batchSizes(): number[] {
    return this.requests.filter((r) => r.batchSize !== undefined).map((r) => r.batchSize as number);
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private user(idOrUpn: string): FakeGraphUser {
    const found = this.lookup(idOrUpn);
    if (found === undefined) throw new Error(`fake Graph has no user ${idOrUpn}`);
    return found;
  }

  private lookup(idOrUpn: string): FakeGraphUser | undefined {
    const key = idOrUpn.toLowerCase();
    return (
      this.users.get(key) ?? [...this.users.values()].find((u) => u.userPrincipalName.toLowerCase() === key)
    );
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', this.baseUrl);
      const path = decodeURIComponent(url.pathname.replace(/^\/v1\.0/, ''));
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        inBatch: false,
        status: 0,
        ...selectOf(url),
        ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }),
      };
      const body = Buffer.concat(chunks).toString('utf8');
      if (record.method === 'POST' && path !== '/$batch') record.body = parseJson(body);
      this.requests.push(record);
      if (this.hanging) return;
      const answer = this.answerTop(req, path, url, body, record);
      record.status = answer.status;
      res.writeHead(answer.status, {
        ...(answer.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...answer.headers,
      });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  }

  private answerTop(
    req: http.IncomingMessage,
    path: string,
    url: URL,
    body: string,
    record: RecordedRequest,
  ): Answer {
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return graphError(401, 'InvalidAuthenticationToken');
    if (this.failStatus !== undefined) return graphError(this.failStatus, 'ServiceError');
    if (this.throttledRequests > 0) {
      this.throttledRequests -= 1;
      return {
        ...graphError(429, 'TooManyRequests'),
        headers: { 'Retry-After': this.throttledRequestsRetryAfter },
      };
    }
    if (req.method === 'POST' && path === '/$batch') return this.answerBatch(body, record);
    if (req.method === 'POST') {
      if (record.body === undefined) return graphError(400, 'BadRequest', 'The body is not JSON.');
      return this.answerPost(path, record.body);
    }
    if (req.method !== 'GET') return graphError(405, 'MethodNotAllowed');
    return this.answerGet(path, url);
  }

  private answerBatch(body: string, record: RecordedRequest): Answer {
    let requests: { id: string; method: string; url: string }[];
    try {
      requests = (JSON.parse(body) as { requests: { id: string; method: string; url: string }[] }).requests;
    } catch {
      return graphError(400, 'BadRequest');
    }
    record.batchSize = requests.length;
    if (requests.length > 20)
      return graphError(400, 'BadRequest', 'Number of requests exceeds the limit of 20.');
    const responses = requests.map((inner) => {
      const url = new URL(inner.url, 'http://graph.invalid');
      const path = decodeURIComponent(url.pathname);
      const innerRecord: RecordedRequest = {
        method: inner.method,
        path,
        inBatch: true,
        status: 0,
        ...selectOf(url),
      };
      this.requests.push(innerRecord);
      let answer: Answer;
      if (this.throttledBatchItems > 0) {
        this.throttledBatchItems -= 1;
        answer = {
          ...graphError(429, 'TooManyRequests'),
          headers: { 'Retry-After': this.throttledBatchItemsRetryAfter },
        };
      } else {
        answer = inner.method === 'GET' ? this.answerGet(path, url) : graphError(405, 'MethodNotAllowed');
      }
      innerRecord.status = answer.status;
      return {
        id: inner.id,
        status: answer.status,
        headers: { 'Content-Type': 'application/json', ...answer.headers },
        body: answer.body,
      };
    });
    return { status: 200, body: { responses } };
  }

  private answerPost(path: string, body: unknown): Answer {
    const m = /^\/users\/([^/]+)\/teamwork\/installedApps$/.exec(path);
    if (m === null) return graphError(405, 'MethodNotAllowed');
    const bind = (body as Record<string, unknown> | null)?.['teamsApp@odata.bind'];
    const prefix = `${this.baseUrl}/v1.0/appCatalogs/teamsApps/`;
    if (typeof bind !== 'string' || !bind.startsWith(prefix))
      return graphError(400, 'BadRequest', 'teamsApp@odata.bind must name an app in the catalog.');
    const user = this.lookup(m[1] ?? '');
    if (user === undefined) return graphError(404, 'NotFound', `User '${m[1]}' does not exist.`);
    const refusal = this.installErrors.get(user.id.toLowerCase());
    if (refusal !== undefined) return graphError(refusal, refusal === 403 ? 'Forbidden' : 'NotFound');
    const appId = decodeURIComponent(bind.slice(prefix.length)).toLowerCase();
    if (!this.catalogApps.has(appId))
      return graphError(404, 'NotFound', `App '${appId}' is not in the catalog.`);
    const apps = this.installed.get(user.id.toLowerCase()) ?? new Set<string>();
    if (apps.has(appId)) return graphError(409, 'Conflict', 'App is already installed.');
    apps.add(appId);
    this.installed.set(user.id.toLowerCase(), apps);
    return { status: 201 };
  }

  private answerGet(path: string, url: URL): Answer {
    const m = /^\/users\/([^/]+)(\/manager|\/mailboxSettings\/automaticRepliesSetting)?$/.exec(path);
    if (m === null) return graphError(400, 'BadRequest', `fake Graph does not serve ${path}`);
    const user = this.lookup(m[1] ?? '');
    if (user === undefined)
      return graphError(404, 'Request_ResourceNotFound', `Resource '${m[1]}' does not exist.`);
    const select = selectOf(url).select;
    if (m[2] === '/manager') {
      const manager = user.managerId === undefined ? undefined : this.users.get(user.managerId.toLowerCase());
      if (manager === undefined)
        return graphError(404, 'Request_ResourceNotFound', 'Resource manager does not exist.');
      return { status: 200, body: project(manager, select) };
    }
    if (m[2] !== undefined) {
      const error = this.mailboxErrors.get(user.id.toLowerCase());
      if (error !== undefined)
        return graphError(error, error === 403 ? 'ErrorAccessDenied' : 'MailboxNotEnabledForRESTAPI');
      return { status: 200, body: this.replies.get(user.id.toLowerCase()) ?? { status: 'disabled' } };
    }
    return { status: 200, body: project(user, select) };
  }
}

/** A TokenCredential that hands out a fixed token and records the scopes asked for; no network. */
export class FakeTokenCredential implements TokenCredential {
  readonly scopesRequested: string[][] = [];

  constructor(private readonly token: string) {}

  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopesRequested.push(typeof scopes === 'string' ? [scopes] : [...scopes]);
    return { token: this.token, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function selectOf(url: URL): { select?: string[] } {
  const raw = url.searchParams.get('$select');
  return raw === null ? {} : { select: raw.split(',').map((s) => s.trim()) };
}

function project(user: FakeGraphUser, select: string[] | undefined): Record<string, unknown> {
  const fields = select ?? DEFAULT_FIELDS;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field in user && field !== 'managerId') out[field] = user[field as keyof FakeGraphUser];
  }
  return out;
}

function graphError(status: number, code: string, message = code): Answer {
  return { status, body: { error: { code, message } } };
}
