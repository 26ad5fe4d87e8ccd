import { randomBytes } from 'node:crypto';
import type { Attachment, TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Language, Organisation, Unit } from '../data/model.js';
import { MemoryPendingDownloadStore } from '../data/memory/memoryPendingDownloadStore.js';
import type { PendingDownloadStore } from '../data/pendingDownloadStore.js';
import type { SystemListKind } from '../services/responsibility/answers.js';
import { AnsvarError } from '../core/errors.js';
import { t } from '../services/i18n/index.js';
import type { Logger } from '../core/logger.js';
import {
  listFileName,
  listLabel,
  listToWorkbook,
  type ListExportRequest,
} from '../services/register/listExport.js';
import { reviewFileName, reviewToWorkbook } from '../services/reviews/reviewExport.js';
import type { HandlerContext } from './actions/context.js';

/**
 * Downloads of a responsibility list through Teams' file consent flow (personal chat only):
 *
 * 1. `list.download` (bot/actions/download.ts) checks the asker as the list itself does, keeps a pending download
 *    here and sends a FileConsentCard whose accept/decline context is only the pending download's random id.
 * 2. Teams asks the user and, on accept, sends the invoke `fileConsent/invoke` with an upload URL in the user's
 *    OneDrive. The pending id must exist, be fresh and belong to the same `from.aadObjectId`; it is used once (a
 *    replayed invoke finds nothing). The asker is checked again, the file built from the current register, and
 *    PUT to the upload URL only when that URL is https on an allowed host suffix (in local mode also
 *    http://127.0.0.1): the URL comes from the client, so anything else would let a caller make the bot send
 *    requests wherever it likes (SSRF). Redirects are not followed, for the same reason. Then a FileInfoCard.
 *
 * Every refusal answers the invoke with 200, sends nothing that could tell a prober more, and is logged.
 */

export const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';

/** A pending download lives this long: the user has that time to accept the card. */
export const PENDING_TTL_MS = 15 * 60_000;
/** Pending downloads per person; an older one is forgotten for a newer one. */
export const PENDING_PER_PERSON = 3;
/** Pending downloads per process, so a flood of clicks cannot grow memory without bound. */
const PENDING_LIMIT = 10_000;
const DEFAULT_UPLOAD_TIMEOUT_MS = 10_000;

export interface PendingDownload {
  id: string;
  /** Lower-cased `from.aadObjectId` of the asker; only they may accept. */
  aadObjectId: string;
  /** The asker's person id (e-mail), for the logs. */
  personId?: string;
  /** A responsibility list; absent for an access review's result. */
  list?: SystemListKind;
  /** An access review's result (services/reviews/reviewExport.ts). */
  reviewCampaignId?: string;
  unitId?: string;
  language: Language;
  /** Epoch milliseconds. */
  createdAt: number;
}

export type TakeResult =
  { kind: 'ok'; download: PendingDownload } | { kind: 'unknown' | 'expired' | 'otherUser' };

/**
 * The pending downloads, kept in a PendingDownloadStore: in memory for one process (a restart only means the user
 * clicks Download again), in PostgreSQL with several instances, so the answer may reach any of them.
 */
export class PendingDownloads {
  constructor(
    private readonly now: () => Date,
    private readonly store: PendingDownloadStore = new MemoryPendingDownloadStore(),
  ) {}

  /** Keeps a new pending download and returns its id (128 random bits, URL-safe). */
  async create(entry: Omit<PendingDownload, 'id' | 'createdAt'>): Promise<string> {
    const id = randomBytes(16).toString('base64url');
    const createdAt = this.now().getTime();
    await this.store.add(
      { id, aadObjectId: entry.aadObjectId, createdAt, entry: { ...entry } },
      { perPerson: PENDING_PER_PERSON, limit: PENDING_LIMIT, expiredBefore: createdAt - PENDING_TTL_MS },
    );
    return id;
  }

  /**
   * The pending download `id` of `aadObjectId`, removed so it is used once (of two instances taking it at once, one
   * gets it). Another user's id is left in place (whoever presents it cannot spend the owner's download); an
   * expired one is removed.
   */
  async take(id: string, aadObjectId: string): Promise<TakeResult> {
    const record = await this.store.get(id);
    if (!record) return { kind: 'unknown' };
    if (this.now().getTime() - record.createdAt >= PENDING_TTL_MS) {
      await this.store.remove(id);
      return { kind: 'expired' };
    }
    if (record.aadObjectId !== aadObjectId.toLowerCase()) return { kind: 'otherUser' };
    if (!(await this.store.remove(id))) return { kind: 'unknown' };
    return {
      kind: 'ok',
      download: {
        ...(record.entry as Omit<PendingDownload, 'id' | 'createdAt'>),
        id,
        createdAt: record.createdAt,
      },
    };
  }
}

export interface UploadPolicy {
  /** Host suffixes an https upload URL must end with, each starting with '.'. */
  hostSuffixes: readonly string[];
  /** Local mode: http://127.0.0.1 on any port too (tests and the playground). */
  allowLoopbackHttp: boolean;
}

/** Whether the bot may send a file to `raw` (or link to it): see the SSRF note at the top. */
export function uploadUrlAllowed(raw: string, policy: UploadPolicy): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:')
    return url.port === '' && policy.hostSuffixes.some((suffix) => url.hostname.endsWith(suffix));
  return policy.allowLoopbackHttp && url.protocol === 'http:' && url.hostname === '127.0.0.1';
}

/** What the download verb needs from its turn and a HandlerContext does not carry (see `FileDownloads.bind`). */
export interface FileTurn {
  /** Offers the list as a file in this conversation: a consent card in a personal chat, else a pointer to it. */
  offer(request: FileOffer): Promise<void>;
}

/** A list the asker was just shown, and so may read; or an access review's result they may read. */
export type FileOffer =
  | {
      list: SystemListKind;
      organisation: Organisation;
      unit?: Unit | undefined;
    }
  | { review: { campaignId: string; systemName: string } };

const fileTurns = new WeakMap<HandlerContext, FileTurn>();

/** The file side of a turn bound by the bot; a context the bot did not bind cannot offer files. */
export function fileTurnOf(turn: HandlerContext): FileTurn {
  const fileTurn = fileTurns.get(turn);
  if (!fileTurn) throw new AnsvarError('InvalidActivity', 'this turn cannot send files');
  return fileTurn;
}

const contextSchema = z.object({ downloadId: z.string().min(1).max(64) });
const acceptSchema = z.object({
  action: z.literal('accept'),
  context: contextSchema,
  uploadInfo: z.object({
    name: z.string().min(1).max(255),
    uploadUrl: z.string().min(1).max(4096),
    contentUrl: z.string().min(1).max(4096),
    uniqueId: z.string().min(1).max(255),
  }),
});
const declineSchema = z.object({ action: z.literal('decline'), context: contextSchema });

export interface FileDownloadsOptions {
  logger: Logger;
  now: () => Date;
  upload: UploadPolicy;
  uploadTimeoutMs?: number;
  /** Where pending downloads are kept; default in memory. */
  store?: PendingDownloadStore;
}

export class FileDownloads {
  private readonly pending: PendingDownloads;
  private readonly logger: Logger;

  constructor(private readonly options: FileDownloadsOptions) {
    this.pending = new PendingDownloads(options.now, options.store);
    this.logger = options.logger.child({ component: 'fileConsent' });
  }

  /** Lets the verb handlers of this turn offer files (`fileTurnOf`); returns `turn`. */
  bind(turn: HandlerContext, context: TurnContext): HandlerContext {
    fileTurns.set(turn, { offer: (request) => this.offer(turn, context, request) });
    return turn;
  }

  /**
   * fileConsent/invoke with action 'accept'. A refusal or a failed upload is logged and the invoke answered 200;
   * only a failure to read the register propagates (the bot's last-resort error handling).
   */
  async accept(turn: HandlerContext, context: TurnContext, value: unknown): Promise<void> {
    const parsed = acceptSchema.safeParse(value);
    const aadObjectId = turn.asker.aadObjectId;
    if (!parsed.success || !aadObjectId) {
      this.logger.warn({ activityId: context.activity.id }, 'malformed file consent accept');
      return;
    }
    const { uploadInfo } = parsed.data;
    const taken = await this.pending.take(parsed.data.context.downloadId, aadObjectId);
    if (taken.kind !== 'ok') {
      this.logger.warn({ reason: taken.kind, aadObjectId }, 'file consent accept refused');
      return;
    }
    const download = taken.download;
    const language = download.language;
    if (download.reviewCampaignId !== undefined) {
      await this.acceptReview(turn, context, download, download.reviewCampaignId, uploadInfo);
      return;
    }
    if (download.list === undefined) return;
    const answer = await turn.responsibility.systemListPage(
      turn.asker,
      download.unitId === undefined
        ? { list: download.list, page: 0 }
        : { list: download.list, unitId: download.unitId, page: 0 },
      language,
    );
    if (answer.kind !== 'systemList' || answer.result.kind !== 'page' || !answer.organisation) {
      this.logger.warn({ personId: download.personId }, 'file download refused: no longer a list reader');
      await sendText(context, t(language, 'systemList.refused'));
      return;
    }
    if (!(await this.uploadAllowed(context, uploadInfo, download.personId, language))) return;
    const request: ListExportRequest = {
      list: download.list,
      organisation: answer.organisation,
      unit: answer.unit,
      language,
    };
    try {
      const now = this.options.now();
      const file = await listToWorkbook(await turn.register.snapshot(), request, now);
      await putFile(uploadInfo.uploadUrl, file, this.options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS);
      this.logger.info(
        { personId: download.personId, list: download.list, bytes: file.length },
        'list file uploaded',
      );
    } catch (error) {
      this.logger.warn({ err: error, personId: download.personId }, 'file upload failed');
      await sendText(context, t(language, 'files.uploadFailed'));
      return;
    }
    const info: Attachment = {
      contentType: FILE_INFO_CARD,
      contentUrl: uploadInfo.contentUrl,
      name: uploadInfo.name,
      content: { uniqueId: uploadInfo.uniqueId, fileType: 'xlsx' },
    };
    await context.sendActivity({
      type: 'message',
      text: t(language, 'files.sent', { name: uploadInfo.name }),
      textFormat: 'plain',
      attachments: [info],
    });
  }

  /** Teams' upload and content URLs must be on an allowed host; otherwise the user is told and nothing is sent. */
  private async uploadAllowed(
    context: TurnContext,
    uploadInfo: { uploadUrl: string; contentUrl: string },
    personId: string | undefined,
    language: Language,
  ): Promise<boolean> {
    const urls = [uploadInfo.uploadUrl, uploadInfo.contentUrl];
    if (urls.every((url) => uploadUrlAllowed(url, this.options.upload))) return true;
    this.logger.warn({ personId, hosts: urls.map(hostOf) }, 'file upload refused: URL not allowed');
    await sendText(context, t(language, 'files.uploadFailed'));
    return false;
  }

  /**
   * The accept of an access review's result: the reader is checked again (the campaign's organisation's list
   * readers, the system's owners, administrators and deputies), the file built from the campaign as it is now.
   */
  private async acceptReview(
    turn: HandlerContext,
    context: TurnContext,
    download: PendingDownload,
    campaignId: string,
    uploadInfo: { uploadUrl: string; contentUrl: string; name: string; uniqueId: string },
  ): Promise<void> {
    const language = download.language;
    const campaign = await turn.reviews.get(campaignId);
    const identity = await turn.identity();
    if (!campaign || !identity || !(await turn.reviews.mayRead(identity.personId, campaign))) {
      this.logger.warn({ personId: download.personId, campaignId }, 'review download refused: not a reader');
      await sendText(context, t(language, 'review.list.refused'));
      return;
    }
    if (!(await this.uploadAllowed(context, uploadInfo, download.personId, language))) return;
    try {
      const names = await turn.register.names();
      const file = await reviewToWorkbook(
        campaign,
        { system: names.system(campaign.systemId), nameOf: (id) => names.person(id) },
        language,
      );
      await putFile(uploadInfo.uploadUrl, file, this.options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS);
      this.logger.info(
        { personId: download.personId, campaignId, bytes: file.length },
        'review file uploaded',
      );
    } catch (error) {
      this.logger.warn({ err: error, personId: download.personId }, 'file upload failed');
      await sendText(context, t(language, 'files.uploadFailed'));
      return;
    }
    await context.sendActivity({
      type: 'message',
      text: t(language, 'files.sent', { name: uploadInfo.name }),
      textFormat: 'plain',
      attachments: [
        {
          contentType: FILE_INFO_CARD,
          contentUrl: uploadInfo.contentUrl,
          name: uploadInfo.name,
          content: { uniqueId: uploadInfo.uniqueId, fileType: 'xlsx' },
        },
      ],
    });
  }

  /** fileConsent/invoke with action 'decline': the pending download is dropped and the user told. */
  async decline(turn: HandlerContext, context: TurnContext, value: unknown): Promise<void> {
    const parsed = declineSchema.safeParse(value);
    const aadObjectId = turn.asker.aadObjectId;
    if (!parsed.success || !aadObjectId) {
      this.logger.warn({ activityId: context.activity.id }, 'malformed file consent decline');
      return;
    }
    const taken = await this.pending.take(parsed.data.context.downloadId, aadObjectId);
    if (taken.kind !== 'ok') {
      this.logger.warn({ reason: taken.kind, aadObjectId }, 'file consent decline refused');
      return;
    }
    await sendText(context, t(taken.download.language, 'files.declined'));
  }

  private async offer(turn: HandlerContext, context: TurnContext, offer: FileOffer): Promise<void> {
    const language = await turn.language();
    const aadObjectId = turn.asker.aadObjectId;
    if (context.activity.conversation?.conversationType !== 'personal' || !aadObjectId) {
      await sendText(context, t(language, 'files.personalOnly'));
      return;
    }
    const identity = await turn.identity();
    const id = await this.pending.create({
      aadObjectId: aadObjectId.toLowerCase(),
      ...(identity ? { personId: identity.personId } : {}),
      ...('review' in offer
        ? { reviewCampaignId: offer.review.campaignId }
        : { list: offer.list, ...(offer.unit ? { unitId: offer.unit.id } : {}) }),
      language,
    });
    const consent: Attachment = {
      contentType: FILE_CONSENT_CARD,
      name:
        'review' in offer
          ? reviewFileName(offer.review.systemName, language, this.options.now())
          : listFileName({ ...offer, language }, this.options.now()),
      content: {
        description:
          'review' in offer
            ? t(language, 'review.file.description', { system: offer.review.systemName })
            : t(language, 'files.description', {
                list: listLabel(offer.list, language),
                where: [offer.organisation.name, offer.unit?.name].filter(Boolean).join(', '),
              }),
        sizeInBytes: 0,
        acceptContext: { downloadId: id },
        declineContext: { downloadId: id },
      },
    };
    await context.sendActivity({
      type: 'message',
      text: t(language, 'files.offered'),
      textFormat: 'plain',
      attachments: [consent],
    });
  }
}

/** One PUT of the whole file to a OneDrive upload session, as Teams' file consent flow expects. */
async function putFile(url: string, file: Buffer, timeoutMs: number): Promise<void> {
  const response = await fetch(url, {
    method: 'PUT',
    headers: {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-range': `bytes 0-${file.length - 1}/${file.length}`,
    },
    body: new Uint8Array(file),
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`upload answered HTTP ${response.status}`);
}

/** For the log: where a refused URL pointed, without its path or query (which may hold a token). */
function hostOf(raw: string): string {
  try {
    return new URL(raw).host;
  } catch {
    return '(not a URL)';
  }
}

async function sendText(context: TurnContext, text: string): Promise<void> {
  await context.sendActivity({ type: 'message', text, textFormat: 'plain' });
}
