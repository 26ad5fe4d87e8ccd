import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import type { StoreSettings } from '../../data/stores.js';
import { AnsvarError } from '../../core/errors.js';
import { durationMs } from '../time/workingTime.js';

/**
 * The only module that reads the environment. `loadConfig` validates everything once at start and names every
 * missing or bad setting in one error. `.env.sample` documents each key.
 */

const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const optionalUrl = optionalString.pipe(z.url().optional());
/** An OTLP/HTTP endpoint: `collector:4318` parses as a URL with the scheme `collector:`, so the scheme is checked. */
const optionalHttpUrl = optionalString.pipe(
  z
    .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL, e.g. http://collector:4318' })
    .optional(),
);
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : v === 'true' || v === '1' || v === 'yes'));

const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: optionalString,
    ANSVAR_DATA_DIR: z.string().trim().min(1).default('.ansvar'),
    ANSVAR_SAMPLE: z
      .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
      .optional()
      .transform((v) => (v === undefined || v === '' ? undefined : v === 'true' || v === '1' || v === 'yes')),
    /** The earlier name of ANSVAR_SAMPLE, still read; ANSVAR_SAMPLE wins when both are set. */
    ANSVAR_SAMPLE_ON_EMPTY: bool(true),
    ANSVAR_STORE: optionalString.pipe(z.enum(['lowdb', 'postgres']).optional()),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')
        .optional(),
    ),
    ANSVAR_INSTANCE_ID: optionalString,
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    PGPORT: z.coerce.number().int().min(1).max(65535).optional(),
    OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
    OUTBOX_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
    ANSVAR_HOST: z.enum(['botbuilder', 'agents']).default('botbuilder'),
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(256 * 1024),

    MicrosoftAppId: optionalString,
    MicrosoftAppPassword: optionalString,
    MicrosoftAppTenantId: optionalString,
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
    MicrosoftAppCertificatePath: optionalString,
    ToBotFromChannelOpenIdMetadataUrl: optionalUrl,
    ToBotFromChannelTokenIssuer: optionalString,
    ToBotFromEmulatorOpenIdMetadataUrl: optionalUrl,
    ToChannelFromBotLoginUrl: optionalUrl,
    ToChannelFromBotOAuthScope: optionalString,
    OAuthApiEndpoint: optionalUrl,
    ValidateAuthority: optionalString,
    ChannelService: optionalString,
    CallerId: optionalString,
    ALLOWED_TENANT_IDS: csv,

    DIRECTORY: z.enum(['local', 'graph']).optional(),
    GRAPH_TENANT_ID: optionalString,
    GRAPH_CLIENT_ID: optionalString,
    GRAPH_CLIENT_SECRET: optionalString,
    GRAPH_CLIENT_CERTIFICATE_PATH: optionalString,
    GRAPH_MANAGED_IDENTITY: bool(false),
    GRAPH_BASE_URL: optionalUrl,
    GRAPH_AUTHORITY_HOST: optionalUrl,
    GRAPH_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).default(300),
    GRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(8000),
    TEAMS_APP_CATALOG_ID: optionalString.pipe(
      z.guid('must be the app id (a GUID) from the org app catalog').optional(),
    ),
    UPLOAD_HOST_SUFFIXES: z
      .string()
      .default('.sharepoint.com')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim().toLowerCase())
          .filter((s) => s !== ''),
      )
      .pipe(
        z
          .array(z.string().regex(/^\.[a-z0-9.-]+$/, 'each suffix starts with a dot, e.g. .sharepoint.com'))
          .min(1),
      ),
    HYGIENE_SCHEDULE: z.string().trim().min(1).default('0 7 * * 1-5'),
    HYGIENE_TIME_ZONE: z.string().trim().min(1).default('Europe/Stockholm'),
    HYGIENE_UNCONFIRMED_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
    HYGIENE_OVERDUE_DAYS: z.coerce.number().int().min(1).max(365).default(5),
    ANSVAR_CLOCK_OFFSET: optionalString,

    // Telemetry (README "Telemetry"): the standard OpenTelemetry variables. The exporters read the rest of them
    // (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_*) themselves.
    OTEL_SDK_DISABLED: bool(false),
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalHttpUrl,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalHttpUrl,
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: optionalHttpUrl,
    OTEL_EXPORTER_OTLP_PROTOCOL: optionalString,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: optionalString,
    OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: optionalString,
    OTEL_METRIC_EXPORT_INTERVAL: z.coerce.number().int().min(100).default(60_000),
    APPLICATIONINSIGHTS_CONNECTION_STRING: optionalString.pipe(
      z
        .string()
        .regex(/InstrumentationKey=/i, 'must be the connection string from the Application Insights resource')
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.ANSVAR_STORE === 'lowdb' && env.DATABASE_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['ANSVAR_STORE'],
        message: 'is lowdb but DATABASE_URL is set; unset one of them (DATABASE_URL selects PostgreSQL)',
      });
    if (env.MicrosoftAppId) {
      if (env.ALLOWED_TENANT_IDS.length === 0)
        ctx.addIssue({
          code: 'custom',
          path: ['ALLOWED_TENANT_IDS'],
          message:
            'required when MicrosoftAppId is set (comma-separated Entra tenant ids allowed to use the bot)',
        });
      const appType = env.MicrosoftAppType ?? 'SingleTenant';
      const certificate = env.MicrosoftAppCertificatePath !== undefined;
      if (appType === 'UserAssignedMSI') {
        if (env.MicrosoftAppPassword || certificate)
          ctx.addIssue({
            code: 'custom',
            path: ['MicrosoftAppPassword'],
            message: 'must be empty (and no certificate set) for MicrosoftAppType=UserAssignedMSI',
          });
      } else if (!certificate && !env.MicrosoftAppPassword) {
        ctx.addIssue({
          code: 'custom',
          path: ['MicrosoftAppPassword'],
          message:
            'required when MicrosoftAppId is set (or a certificate, or MicrosoftAppType=UserAssignedMSI)',
        });
      }
      if (appType !== 'MultiTenant' && !env.MicrosoftAppTenantId)
        ctx.addIssue({
          code: 'custom',
          path: ['MicrosoftAppTenantId'],
          message: `required for MicrosoftAppType=${appType}${env.MicrosoftAppType ? '' : ' (the default)'}`,
        });
    }
    if (env.ANSVAR_CLOCK_OFFSET !== undefined) {
      if (env.MicrosoftAppId)
        ctx.addIssue({
          code: 'custom',
          path: ['ANSVAR_CLOCK_OFFSET'],
          message:
            'only for local mode (no MicrosoftAppId): a shifted clock would remind and expire real requests',
        });
      else {
        try {
          durationMs(env.ANSVAR_CLOCK_OFFSET);
        } catch {
          ctx.addIssue({
            code: 'custom',
            path: ['ANSVAR_CLOCK_OFFSET'],
            message: 'must be an ISO 8601 duration in days, hours, minutes or seconds, e.g. P5D or PT36H',
          });
        }
      }
    }
    if (exportsOtlp(env))
      for (const key of [
        'OTEL_EXPORTER_OTLP_PROTOCOL',
        'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
        'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL',
      ] as const)
        // Ansvar ships the OTLP/HTTP JSON exporter only: another protocol would be sent in a format the collector
        // does not expect.
        if (env[key] !== undefined && env[key] !== 'http/json')
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message:
              'only http/json is supported (OTLP over HTTP with JSON bodies); unset it or set http/json',
          });
    if (env.DIRECTORY === 'graph') {
      for (const key of ['GRAPH_TENANT_ID', 'GRAPH_CLIENT_ID'] as const)
        if (!env[key])
          ctx.addIssue({ code: 'custom', path: [key], message: 'required when DIRECTORY=graph' });
      const ways = [
        env.GRAPH_CLIENT_SECRET,
        env.GRAPH_CLIENT_CERTIFICATE_PATH,
        env.GRAPH_MANAGED_IDENTITY || undefined,
      ];
      if (ways.filter((w) => w !== undefined).length !== 1)
        ctx.addIssue({
          code: 'custom',
          path: ['GRAPH_CLIENT_SECRET'],
          message:
            'DIRECTORY=graph needs exactly one of GRAPH_CLIENT_SECRET, GRAPH_CLIENT_CERTIFICATE_PATH or GRAPH_MANAGED_IDENTITY=true',
        });
    } else if (env.TEAMS_APP_CATALOG_ID) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEAMS_APP_CATALOG_ID'],
        message: 'needs DIRECTORY=graph (the app is installed through Microsoft Graph)',
      });
    }
  });

export type HostSdk = 'botbuilder' | 'agents';

export interface BotFrameworkSettings {
  MicrosoftAppId: string;
  MicrosoftAppPassword: string;
  MicrosoftAppTenantId: string;
  MicrosoftAppType: string;
  [key: string]: string | undefined;
}

export interface Config {
  port: number;
  /** Interface to bind; always 127.0.0.1 in local mode. */
  host: string;
  dataDir: string;
  /**
   * Where the data lives: the embedded lowdb files in `dataDir` (one process), or PostgreSQL (any number of
   * instances on one database), chosen by DATABASE_URL or ANSVAR_STORE=postgres with the standard PG* variables.
   */
  store: StoreSettings;
  /** How often each instance looks for outbox work nobody woke it for (another instance's, a lapsed claim). */
  outboxPollSeconds: number;
  /** Notifications each instance delivers at once, at most one per person (see bot/delivery/outboxProcessor.ts). */
  outboxConcurrency: number;
  /** No MicrosoftAppId: no authentication, loopback only. */
  localMode: boolean;
  /**
   * Which SDK hosts the HTTP endpoint and the turn (ANSVAR_HOST): botbuilder on restify (the default) or the
   * Microsoft 365 Agents SDK on Express (bot/agentsHost.ts). Everything behind the turn is the same code.
   */
  hostSdk: HostSdk;
  sampleOnEmpty: boolean;
  logLevel: string;
  /** Readable lines for a person (default in local mode) or JSON lines for a log collector (default otherwise). */
  logFormat: 'pretty' | 'json';
  maxBodyBytes: number;
  allowedTenantIds: string[];
  /** Passed verbatim to botbuilder's ConfigurationBotFrameworkAuthentication. */
  botFramework: BotFrameworkSettings;
  /** Hosts (by suffix) a downloaded list may be uploaded to after the user's file consent (Teams gives the URL). */
  uploadHostSuffixes: string[];
  /** The daily hygiene check: when (cron, in `timeZone`) and its thresholds. */
  hygiene: { schedule: string; timeZone: string; unconfirmedMonths: number; overdueDays: number };
  /** Local mode only: ANSVAR_CLOCK_OFFSET as written and in ms, added to the real clock (trying reminders by hand). */
  clockOffset?: { iso: string; ms: number };
  telemetry: TelemetrySettings;
  directory:
    | { kind: 'local' }
    | {
        kind: 'graph';
        tenantId: string;
        clientId: string;
        /**
         * How Ansvar proves it is `clientId`: a client secret, a PEM file with the certificate and its private key,
         * or the user-assigned managed identity whose client id is `clientId` (no secret at all).
         */
        credential: GraphCredentialSettings;
        baseUrl: string;
        authorityHost?: string;
        cacheTtlSeconds: number;
        timeoutMs: number;
        /**
         * Ansvar's id in the organisation's Teams app catalog. Set: the app is installed through Graph for people
         * who never opened the bot, so they can get proactive cards. Unset: such people are unreachable.
         */
        teamsAppCatalogId?: string;
      };
}

/**
 * Where traces and metrics go. No exporter (the default, and always with OTEL_SDK_DISABLED=true): telemetry is off and
 * no OpenTelemetry SDK is loaded. OTLP: an OTEL_EXPORTER_OTLP_*ENDPOINT is set (any OpenTelemetry collector over
 * HTTP/JSON). Azure Monitor: APPLICATIONINSIGHTS_CONNECTION_STRING is set. Both may be set.
 */
export interface TelemetrySettings {
  exporters: TelemetryExporter[];
  /** How often metrics are exported (OTEL_METRIC_EXPORT_INTERVAL, ms). */
  metricIntervalMs: number;
}

/** OTLP: each signal is sent only where an endpoint is set for it (OTEL_EXPORTER_OTLP_ENDPOINT sets both). */
export type TelemetryExporter =
  { kind: 'otlp'; traces: boolean; metrics: boolean } | { kind: 'azureMonitor'; connectionString: string };

export type GraphCredentialSettings =
  | { kind: 'secret'; clientSecret: string }
  | { kind: 'certificate'; certificatePath: string }
  | { kind: 'managedIdentity' };

/**
 * Reads ANSVAR_ENV_FILE (default `.env` in the working directory) into `env`, never overriding a variable the
 * environment already sets. A missing `.env` is fine; a missing file ANSVAR_ENV_FILE names is an InvalidConfig error.
 * Returns the file read, if any.
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = env.ANSVAR_ENV_FILE?.trim();
  const file = path.resolve(named || '.env');
  if (!existsSync(file)) {
    if (named) throw new AnsvarError('InvalidConfig', `ANSVAR_ENV_FILE: ${file} does not exist`);
    return undefined;
  }
  for (const [key, value] of Object.entries(parseEnv(readFileSync(file, 'utf8'))))
    if (env[key] === undefined) env[key] = value;
  return file;
}

/**
 * botbuilder's certificate settings from one PEM file holding the certificate and its private key (what
 * `az ad app credential reset --create-cert` and Key Vault exports give): the SHA-1 thumbprint and the key as PKCS#8.
 */
function readCertificate(
  key: string,
  file: string,
): { CertificateThumbprint: string; CertificatePrivateKey: string } {
  try {
    const pem = readFileSync(path.resolve(file), 'utf8');
    const thumbprint = new X509Certificate(pem).fingerprint.replaceAll(':', '');
    const privateKey = createPrivateKey(pem).export({ format: 'pem', type: 'pkcs8' }).toString();
    return { CertificateThumbprint: thumbprint, CertificatePrivateKey: privateKey };
  } catch (error) {
    throw new AnsvarError(
      'InvalidConfig',
      `Invalid configuration:\n  ${key}: cannot read a PEM certificate and private key from ${file} (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new AnsvarError('InvalidConfig', `Invalid configuration:\n  ${problems.join('\n  ')}`, problems);
  }
  const e = parsed.data;
  const localMode = !e.MicrosoftAppId;
  const botFramework: BotFrameworkSettings = {
    MicrosoftAppId: e.MicrosoftAppId ?? '',
    MicrosoftAppPassword: e.MicrosoftAppPassword ?? '',
    MicrosoftAppTenantId: e.MicrosoftAppTenantId ?? '',
    MicrosoftAppType: e.MicrosoftAppType ?? (e.MicrosoftAppId ? 'SingleTenant' : ''),
  };
  if (e.MicrosoftAppCertificatePath !== undefined)
    Object.assign(
      botFramework,
      readCertificate('MicrosoftAppCertificatePath', e.MicrosoftAppCertificatePath),
      // The Agents SDK reads the certificate and its key from files itself (bot/agentsAdapter.ts).
      { MicrosoftAppCertificatePath: path.resolve(e.MicrosoftAppCertificatePath) },
    );
  for (const key of [
    'ToBotFromChannelOpenIdMetadataUrl',
    'ToBotFromChannelTokenIssuer',
    'ToBotFromEmulatorOpenIdMetadataUrl',
    'ToChannelFromBotLoginUrl',
    'ToChannelFromBotOAuthScope',
    'OAuthApiEndpoint',
    'ValidateAuthority',
    'ChannelService',
    'CallerId',
  ] as const) {
    if (e[key] !== undefined) botFramework[key] = e[key];
  }
  return {
    port: e.PORT,
    host: localMode ? '127.0.0.1' : (e.HOST ?? '0.0.0.0'),
    dataDir: path.resolve(e.ANSVAR_DATA_DIR),
    store:
      e.DATABASE_URL !== undefined || e.ANSVAR_STORE === 'postgres'
        ? {
            kind: 'postgres',
            ...(e.DATABASE_URL === undefined ? {} : { connectionString: e.DATABASE_URL }),
            poolMax: e.DATABASE_POOL_MAX,
            outboxLeaseMs: e.OUTBOX_LEASE_SECONDS * 1000,
            ...(e.ANSVAR_INSTANCE_ID === undefined ? {} : { instanceId: e.ANSVAR_INSTANCE_ID }),
          }
        : { kind: 'lowdb', dataDir: path.resolve(e.ANSVAR_DATA_DIR) },
    outboxPollSeconds: e.OUTBOX_POLL_SECONDS,
    outboxConcurrency: e.OUTBOX_CONCURRENCY,
    localMode,
    sampleOnEmpty: e.ANSVAR_SAMPLE ?? e.ANSVAR_SAMPLE_ON_EMPTY,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (localMode ? 'pretty' : 'json'),
    hostSdk: e.ANSVAR_HOST,
    maxBodyBytes: e.MAX_BODY_BYTES,
    allowedTenantIds: e.ALLOWED_TENANT_IDS,
    botFramework,
    uploadHostSuffixes: e.UPLOAD_HOST_SUFFIXES,
    hygiene: {
      schedule: e.HYGIENE_SCHEDULE,
      timeZone: e.HYGIENE_TIME_ZONE,
      unconfirmedMonths: e.HYGIENE_UNCONFIRMED_MONTHS,
      overdueDays: e.HYGIENE_OVERDUE_DAYS,
    },
    ...(e.ANSVAR_CLOCK_OFFSET === undefined
      ? {}
      : { clockOffset: { iso: e.ANSVAR_CLOCK_OFFSET, ms: durationMs(e.ANSVAR_CLOCK_OFFSET) } }),
    telemetry: telemetrySettings(e),
    directory:
      (e.DIRECTORY ?? 'local') === 'graph'
        ? {
            kind: 'graph',
            tenantId: e.GRAPH_TENANT_ID!,
            clientId: e.GRAPH_CLIENT_ID!,
            credential: e.GRAPH_CLIENT_SECRET
              ? { kind: 'secret', clientSecret: e.GRAPH_CLIENT_SECRET }
              : e.GRAPH_CLIENT_CERTIFICATE_PATH
                ? { kind: 'certificate', certificatePath: path.resolve(e.GRAPH_CLIENT_CERTIFICATE_PATH) }
                : { kind: 'managedIdentity' },
            baseUrl: e.GRAPH_BASE_URL ?? 'https://graph.microsoft.com',
            authorityHost: e.GRAPH_AUTHORITY_HOST,
            cacheTtlSeconds: e.GRAPH_CACHE_TTL_SECONDS,
            timeoutMs: e.GRAPH_TIMEOUT_MS,
            ...(e.TEAMS_APP_CATALOG_ID === undefined ? {} : { teamsAppCatalogId: e.TEAMS_APP_CATALOG_ID }),
          }
        : { kind: 'local' },
  };
}

/** An OTLP endpoint is set and the SDK is not disabled. */
function exportsOtlp(e: {
  OTEL_SDK_DISABLED: boolean;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string | undefined;
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT?: string | undefined;
}): boolean {
  return (
    !e.OTEL_SDK_DISABLED &&
    (e.OTEL_EXPORTER_OTLP_ENDPOINT ??
      e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
      e.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT) !== undefined
  );
}

function telemetrySettings(e: z.output<typeof schema>): TelemetrySettings {
  const exporters: TelemetryExporter[] = [];
  if (exportsOtlp(e))
    exporters.push({
      kind: 'otlp',
      traces: (e.OTEL_EXPORTER_OTLP_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) !== undefined,
      metrics: (e.OTEL_EXPORTER_OTLP_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT) !== undefined,
    });
  if (!e.OTEL_SDK_DISABLED && e.APPLICATIONINSIGHTS_CONNECTION_STRING)
    exporters.push({ kind: 'azureMonitor', connectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING });
  return { exporters, metricIntervalMs: e.OTEL_METRIC_EXPORT_INTERVAL };
}

/**
 * How every entry point reads its configuration (the server and each `npm run` command): the env file (`.env` in the
 * working directory, or ANSVAR_ENV_FILE) into the environment, never over a variable already set, then the
 * validated settings. Throws AnsvarError('InvalidConfig') naming every bad or missing setting.
 */
export function loadConfiguration(env: NodeJS.ProcessEnv = process.env): Config {
  loadEnvFile(env);
  return loadConfig(env);
}

/** What start-up logs: every setting, secrets redacted. */
export function redactedSummary(config: Config): Record<string, unknown> {
  return {
    ...config,
    store:
      config.store.kind === 'postgres' && config.store.connectionString
        ? { ...config.store, connectionString: redactUrlPassword(config.store.connectionString) }
        : config.store,
    botFramework: {
      ...config.botFramework,
      MicrosoftAppPassword: config.botFramework.MicrosoftAppPassword ? '[set]' : '[empty]',
      ...(config.botFramework.CertificatePrivateKey === undefined ? {} : { CertificatePrivateKey: '[set]' }),
    },
    telemetry: {
      ...config.telemetry,
      exporters: config.telemetry.exporters.map((x) =>
        x.kind === 'azureMonitor' ? { ...x, connectionString: '[set]' } : x,
      ),
    },
    directory:
      config.directory.kind === 'graph' && config.directory.credential.kind === 'secret'
        ? { ...config.directory, credential: { kind: 'secret', clientSecret: '[set]' } }
        : config.directory,
  };
}

function redactUrlPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '[set]';
    return parsed.toString();
  } catch {
    return '[unparsable]';
  }
}
