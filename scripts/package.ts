import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import yazl from 'yazl';
import { z } from 'zod';
import { loadEnvFile } from '../services/infrastructure/config.js';
import {
  checkLengths,
  localisationLengthRules,
  manifestLengthRules,
  type ManifestShape,
} from './manifestLengths.js';
import { compileSchema, formatAjvError, schemaDirectory, schemaUrl } from './manifestSchema.js';

/**
 * `npm run package`: builds the Teams app package `manifest/build/ansvar.zip` from `manifest/`.
 *
 * Contract: the source manifest holds the placeholders `${{TEAMS_APP_ID}}` and `${{MicrosoftAppId}}`; they are
 * filled from the environment, the result is validated against the official schema of the manifest's
 * `manifestVersion` (from @microsoft/app-manifest, so no network), every localisation file against the matching
 * localisation schema, icons and Teams' length limits are checked, and only a package with no problem is written.
 * Every problem is listed, then the process exits 1. `--allow-placeholder` builds without a bot id for a local try
 * (the zip cannot be sideloaded as a working bot).
 */

/** The app's own id when TEAMS_APP_ID is unset. Keep it: Teams identifies an app by it across versions. */
export const DEFAULT_TEAMS_APP_ID = 'd28d3a76-ad3b-4f35-b38c-a2798a50a3ef';
/** Bot id written with --allow-placeholder. */
export const PLACEHOLDER_BOT_ID = '00000000-0000-0000-0000-000000000000';

/** The directory holding package.json, whether this runs from scripts/ (tsx) or dist/scripts/ (compiled). */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export const MANIFEST_DIR = path.join(projectRoot(), 'manifest');
export const DEFAULT_OUT_FILE = path.join(MANIFEST_DIR, 'build', 'ansvar.zip');

/** Fixed entry time, so the same inputs give a byte-identical zip. */
const ZIP_MTIME = new Date('2024-01-01T00:00:00Z');

export interface PackageIds {
  appId: string;
  botId: string;
  /**
   * The Graph app registration (GRAPH_CLIENT_ID), written as `webApplicationInfo.id`: Graph installs the app for
   * people who never opened it (TeamsAppInstallation.ReadWriteSelfForUser.All) only for an app whose manifest
   * names that registration. Absent: no webApplicationInfo.
   */
  graphClientId?: string;
}

const emptyIsUnset = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const GUID_MESSAGE = 'must be a GUID such as 1b4e28ba-2fa1-11d2-883f-0016d3cca427';
const BOT_ID_MISSING =
  "not set. Set it to the bot's Microsoft App ID (Entra app registration of the Azure Bot), " +
  'or pass --allow-placeholder to build a package for a local look only.';

/** Both keys are checked in one pass, so a run names every bad or missing id at once. */
function idsFromEnv(allowPlaceholder: boolean) {
  return z.object({
    TEAMS_APP_ID: emptyIsUnset.pipe(z.guid({ error: GUID_MESSAGE }).optional()),
    GRAPH_CLIENT_ID: emptyIsUnset.pipe(z.guid({ error: GUID_MESSAGE }).optional()),
    MicrosoftAppId: allowPlaceholder
      ? emptyIsUnset.pipe(z.guid({ error: GUID_MESSAGE }).optional())
      : emptyIsUnset.pipe(
          z.guid({ error: (issue) => (issue.input === undefined ? BOT_ID_MISSING : GUID_MESSAGE) }),
        ),
  });
}

/**
 * The two ids the package needs, from the environment. MicrosoftAppId (the bot's Entra app id, same key as the
 * bot's own config) is required unless `allowPlaceholder`; TEAMS_APP_ID defaults to DEFAULT_TEAMS_APP_ID.
 */
export function readIds(
  env: Record<string, string | undefined>,
  options: { allowPlaceholder: boolean },
): { ids?: PackageIds; problems: string[]; warnings: string[] } {
  const parsed = idsFromEnv(options.allowPlaceholder).safeParse(env);
  if (!parsed.success)
    return { problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`), warnings: [] };
  const warnings: string[] = [];
  let botId = parsed.data.MicrosoftAppId;
  if (!botId) {
    botId = PLACEHOLDER_BOT_ID;
    warnings.push(
      `MicrosoftAppId not set: the bot id is the placeholder ${PLACEHOLDER_BOT_ID}; do not upload this package.`,
    );
  }
  const ids: PackageIds = { appId: parsed.data.TEAMS_APP_ID ?? DEFAULT_TEAMS_APP_ID, botId };
  if (parsed.data.GRAPH_CLIENT_ID) ids.graphClientId = parsed.data.GRAPH_CLIENT_ID;
  return { ids, problems: [], warnings };
}

export interface PngInfo {
  width: number;
  height: number;
  /** PNG colour type: 4 (grey + alpha) and 6 (RGBA) carry an alpha channel. */
  colourType: number;
}

/** Reads size and colour type from the IHDR chunk, which the PNG specification requires to come first. */
export function readPngHeader(buffer: Buffer): PngInfo | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (buffer.length < 33 || !buffer.subarray(0, 8).equals(signature)) return undefined;
  if (buffer.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20), colourType: buffer[25]! };
}

const ICON_SIZES: Record<string, number> = { color: 192, outline: 32, color32x32: 32 };

/** A file the manifest names must sit at the zip root: Teams resolves these paths relative to manifest.json. */
function rootFileName(value: unknown): string | undefined {
  return typeof value === 'string' &&
    value.length > 0 &&
    !/[\\/]/.test(value) &&
    value !== '.' &&
    value !== '..'
    ? value
    : undefined;
}

function readFileIn(dir: string, name: string): Buffer | undefined {
  const file = path.join(dir, name);
  return existsSync(file) ? readFileSync(file) : undefined;
}

export interface CheckResult {
  problems: string[];
  warnings: string[];
  /** Zip entries in order (manifest.json first), present whenever the manifest itself could be read. */
  entries: Map<string, Buffer>;
}

/** Fills the ids into `manifestDir/manifest.json` and checks everything the package will contain. */
export function checkPackage(manifestDir: string, ids: PackageIds): CheckResult {
  const problems: string[] = [];
  const warnings: string[] = [];
  const entries = new Map<string, Buffer>();

  const source = readFileIn(manifestDir, 'manifest.json');
  if (!source) return { problems: [`manifest.json: not found in ${manifestDir}`], warnings, entries };
  const filled = source
    .toString('utf8')
    .replaceAll('${{TEAMS_APP_ID}}', ids.appId)
    .replaceAll('${{MicrosoftAppId}}', ids.botId);
  for (const left of new Set(filled.match(/\$\{\{[^}]*\}\}/g) ?? []))
    problems.push(
      `manifest.json: unknown placeholder ${left} (only \${{TEAMS_APP_ID}} and \${{MicrosoftAppId}} are filled)`,
    );
  let manifest: ManifestShape;
  try {
    manifest = JSON.parse(filled) as ManifestShape;
  } catch (error) {
    return {
      problems: [...problems, `manifest.json: not valid JSON (${(error as Error).message})`],
      warnings,
      entries,
    };
  }
  if (ids.graphClientId) manifest.webApplicationInfo = { id: ids.graphClientId };
  entries.set('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));

  const version = manifest.manifestVersion;
  if (typeof version !== 'string' || !existsSync(schemaDirectory(version))) {
    problems.push(
      `manifest.json: manifestVersion ${JSON.stringify(version)} has no schema in @microsoft/app-manifest ` +
        `(looked in ${schemaDirectory(String(version))})`,
    );
    return { problems, warnings, entries };
  }
  const expectedSchema = schemaUrl(version, 'MicrosoftTeams.schema.json');
  if (manifest.$schema !== expectedSchema)
    problems.push(`manifest.json: $schema must be ${expectedSchema} for manifestVersion ${version}`);

  const lengths = checkLengths('manifest.json', manifestLengthRules(manifest));
  problems.push(...lengths.problems);
  const validateManifest = compileSchema(version, 'MicrosoftTeams.schema.json');
  if (!validateManifest(manifest))
    for (const error of validateManifest.errors ?? [])
      if (!(error.keyword === 'maxLength' && lengths.pointers.has(error.instancePath)))
        problems.push(formatAjvError('manifest.json', error));

  for (const [kind, size] of Object.entries(ICON_SIZES)) {
    const declared = manifest.icons?.[kind];
    if (declared === undefined) continue;
    const name = rootFileName(declared);
    if (!name) {
      problems.push(
        `manifest.json: icons.${kind} must be a file name at the package root, not ${JSON.stringify(declared)}`,
      );
      continue;
    }
    const png = readFileIn(manifestDir, name);
    if (!png) {
      problems.push(`${name}: not found in ${manifestDir} (icons.${kind})`);
      continue;
    }
    const info = readPngHeader(png);
    if (!info) problems.push(`${name}: not a PNG file (icons.${kind})`);
    else {
      if (info.width !== size || info.height !== size)
        problems.push(
          `${name}: is ${info.width}×${info.height} pixels; icons.${kind} must be ${size}×${size}`,
        );
      if (kind !== 'color' && info.colourType !== 6 && info.colourType !== 4)
        problems.push(
          `${name}: has no alpha channel; icons.${kind} must be white on a transparent background`,
        );
    }
    entries.set(name, png);
  }

  const localisationFiles = [
    ...(manifest.localizationInfo?.defaultLanguageFile !== undefined
      ? [{ tag: 'default', file: manifest.localizationInfo.defaultLanguageFile }]
      : []),
    ...(manifest.localizationInfo?.additionalLanguages ?? []).map((l) => ({
      tag: String(l.languageTag),
      file: l.file,
    })),
  ];
  const validateLocalisation =
    localisationFiles.length > 0
      ? compileSchema(version, 'MicrosoftTeams.Localization.schema.json')
      : undefined;
  const expectedKeys = localisedCommandKeys(manifest);
  for (const { tag, file } of localisationFiles) {
    const name = rootFileName(file);
    if (!name) {
      problems.push(
        `manifest.json: the localisation file for ${tag} must be a file name at the package root`,
      );
      continue;
    }
    const raw = readFileIn(manifestDir, name);
    if (!raw) {
      problems.push(`${name}: not found in ${manifestDir} (localisation for ${tag})`);
      continue;
    }
    let strings: Record<string, unknown>;
    try {
      strings = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch (error) {
      problems.push(`${name}: not valid JSON (${(error as Error).message})`);
      continue;
    }
    const expectedLocalisationSchema = schemaUrl(version, 'MicrosoftTeams.Localization.schema.json');
    if (strings.$schema !== expectedLocalisationSchema)
      problems.push(`${name}: $schema must be ${expectedLocalisationSchema} for manifestVersion ${version}`);
    const localLengths = checkLengths(name, localisationLengthRules(strings));
    problems.push(...localLengths.problems);
    if (validateLocalisation && !validateLocalisation(strings))
      for (const error of validateLocalisation.errors ?? [])
        if (!(error.keyword === 'maxLength' && localLengths.pointers.has(error.instancePath)))
          problems.push(formatAjvError(name, error));
    for (const key of Object.keys(strings)) {
      const command = /^bots\[(\d+)\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\.(\w+)$/.exec(key);
      if (command && !manifest.bots?.[+command[1]!]?.commandLists?.[+command[2]!]?.commands?.[+command[3]!])
        problems.push(`${name}: ${key} translates a command that manifest.json does not have`);
    }
    const missing = expectedKeys.filter((key) => !(key in strings));
    if (missing.length > 0) problems.push(`${name}: does not translate ${missing.join(', ')}`);
    entries.set(name, raw);
  }

  const developer = manifest.developer ?? {};
  const exampleUrls = [developer.websiteUrl, developer.privacyUrl, developer.termsOfUseUrl].filter(
    (url): url is string =>
      typeof url === 'string' && /^https?:\/\/([^/]*\.)?(example|example\.(com|org|net))(\/|$)/i.test(url),
  );
  if (exampleUrls.length > 0)
    warnings.push(
      `developer URLs are placeholders (${exampleUrls.join(', ')}): set your organisation's pages in ` +
        'manifest/manifest.json before publishing to the org catalog.',
    );
  return { problems, warnings, entries };
}

/** What every localisation file must translate, so no language shows half its commands in English. */
function localisedCommandKeys(manifest: ManifestShape): string[] {
  const keys = ['name.short', 'description.short', 'description.full'];
  if (manifest.name?.full !== undefined) keys.push('name.full');
  (manifest.bots ?? []).forEach((bot, b) =>
    (bot.commandLists ?? []).forEach((list, l) =>
      (list.commands ?? []).forEach((command, c) => {
        keys.push(`bots[${b}].commandLists[${l}].commands[${c}].title`);
        if (command.description !== undefined)
          keys.push(`bots[${b}].commandLists[${l}].commands[${c}].description`);
      }),
    ),
  );
  return keys;
}

/** Writes the entries, in order, as a zip with fixed timestamps. */
export async function writeZip(entries: Map<string, Buffer>, outFile: string): Promise<void> {
  mkdirSync(path.dirname(outFile), { recursive: true });
  const zip = new yazl.ZipFile();
  for (const [name, content] of entries) zip.addBuffer(content, name, { mtime: ZIP_MTIME, mode: 0o100644 });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(outFile));
}

export interface BuildResult extends CheckResult {
  /** Set when the package was written. */
  outFile?: string;
}

export async function buildPackage(options: {
  env: Record<string, string | undefined>;
  allowPlaceholder: boolean;
  manifestDir?: string;
  outFile?: string;
}): Promise<BuildResult> {
  const manifestDir = options.manifestDir ?? MANIFEST_DIR;
  const outFile = options.outFile ?? DEFAULT_OUT_FILE;
  const idResult = readIds(options.env, { allowPlaceholder: options.allowPlaceholder });
  // Without ids the manifest is still checked (with the placeholder bot id), so one run lists every problem.
  const check = checkPackage(
    manifestDir,
    idResult.ids ?? { appId: DEFAULT_TEAMS_APP_ID, botId: PLACEHOLDER_BOT_ID },
  );
  const result: BuildResult = {
    problems: [...idResult.problems, ...check.problems],
    warnings: [...idResult.warnings, ...check.warnings],
    entries: check.entries,
  };
  if (result.problems.length > 0) return result;
  await writeZip(check.entries, outFile);
  return { ...result, outFile };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'allow-placeholder': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'Usage: MicrosoftAppId=<bot app id> [TEAMS_APP_ID=<app guid>] npm run package [-- --allow-placeholder]\n' +
        `Writes ${path.relative(process.cwd(), DEFAULT_OUT_FILE)} from manifest/.`,
    );
    return 0;
  }
  // The ids come from the environment and the env file, as for the server and the other commands.
  loadEnvFile();
  const result = await buildPackage({ env: process.env, allowPlaceholder: values['allow-placeholder'] });
  for (const warning of result.warnings) console.warn(`warning: ${warning}`);
  if (result.problems.length > 0) {
    console.error(
      `Cannot build the Teams app package (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}):`,
    );
    for (const problem of result.problems) console.error(`  - ${problem}`);
    return 1;
  }
  console.log(
    `Wrote ${path.relative(process.cwd(), result.outFile!)}: ${[...result.entries.keys()].join(', ')}`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
