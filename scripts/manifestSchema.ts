import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

// The Teams manifest and localisation schemas of @microsoft/app-manifest, compiled with Ajv for `npm run package`.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function schemaDirectory(manifestVersion: string): string {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  return path.join(root, 'build', 'json-schemas', 'teams', `v${manifestVersion}`);
}

export function schemaUrl(manifestVersion: string, file: string): string {
  return `https://developer.microsoft.com/json-schemas/teams/v${manifestVersion}/${file}`;
}

/**
 * The Teams schemas declare JSON Schema draft-04, which Ajv 8 does not ship. They use none of the keywords whose
 * meaning changed after draft-04 (boolean exclusiveMinimum/exclusiveMaximum, `id` as a schema id), so they compile
 * unchanged under Ajv's default draft-07 once the draft-04 `$schema` is removed. The guard refuses a future schema
 * that does use them, rather than validating it wrongly.
 */
function asDraft07(schema: { [key: string]: Json }, file: string): { [key: string]: Json } {
  const changedMeaning: string[] = [];
  const walk = (node: Json, at: string, isPropertyMap: boolean): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((child, i) => walk(child, `${at}/${i}`, false));
    for (const [key, child] of Object.entries(node)) {
      if (!isPropertyMap) {
        if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof child === 'boolean')
          changedMeaning.push(`${at}/${key}`);
        if (key === 'id' && typeof child === 'string') changedMeaning.push(`${at}/id`);
      }
      walk(
        child,
        `${at}/${key}`,
        !isPropertyMap && (key === 'properties' || key === 'patternProperties' || key === 'definitions'),
      );
    }
  };
  walk(schema, '#', false);
  if (changedMeaning.length > 0)
    throw new Error(
      `${file} uses draft-04 keywords Ajv 8 would read differently: ${changedMeaning.join(', ')}`,
    );
  const draft07 = { ...schema };
  delete draft07.$schema;
  return draft07;
}

const compiledSchemas = new Map<string, ValidateFunction>();

/** Compiling the manifest schema takes a few hundred milliseconds: once per schema file and process. */
export function compileSchema(manifestVersion: string, file: string): ValidateFunction {
  const key = `${manifestVersion}/${file}`;
  const cached = compiledSchemas.get(key);
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(path.join(schemaDirectory(manifestVersion), file), 'utf8')) as {
    [key: string]: Json;
  };
  // Ajv's strict mode lints how a schema is written (e.g. "type" missing next to a keyword, `required` naming an
  // undeclared property); it does not change what validates, and the official schemas trip it, so it is off.
  // unicodeRegExp off: the localisation schema has patterns (e.g. `\b]`) that are valid JavaScript regular
  // expressions only without the u flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  const validate = ajv.compile(asDraft07(schema, file));
  compiledSchemas.set(key, validate);
  return validate;
}

export function formatAjvError(file: string, error: ErrorObject): string {
  const where = error.instancePath || '(root)';
  const params = error.params as Record<string, unknown>;
  let detail = '';
  if (error.keyword === 'additionalProperties') detail = `: "${String(params.additionalProperty)}"`;
  else if (error.keyword === 'enum')
    detail = `: ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
  else if (error.keyword === 'const') detail = `: ${JSON.stringify(params.allowedValue)}`;
  return `${file}: ${where} ${error.message ?? 'is invalid'}${detail}`;
}
