// The length limits Teams puts on a manifest's and a localisation file's texts, checked for `npm run package`.

/** Counts characters as the schema's maxLength does: Unicode code points. */
const length = (s: string) => [...s].length;

export interface LengthRule {
  /** JSON pointer, as Ajv reports instance paths. */
  pointer: string;
  label: string;
  value: unknown;
  limit: number;
}

/**
 * Teams' documented limits. The schema states most of them; the bot command limits (title 32, description 128)
 * are stricter in Teams' manifest reference than in the schema (128, 4000), and Teams truncates beyond them.
 */
export function manifestLengthRules(manifest: ManifestShape): LengthRule[] {
  const rules: LengthRule[] = [
    { pointer: '/name/short', label: 'name.short', value: manifest.name?.short, limit: 30 },
    { pointer: '/name/full', label: 'name.full', value: manifest.name?.full, limit: 100 },
    {
      pointer: '/description/short',
      label: 'description.short',
      value: manifest.description?.short,
      limit: 80,
    },
    {
      pointer: '/description/full',
      label: 'description.full',
      value: manifest.description?.full,
      limit: 4000,
    },
    { pointer: '/developer/name', label: 'developer.name', value: manifest.developer?.name, limit: 32 },
  ];
  (manifest.bots ?? []).forEach((bot, b) =>
    (bot.commandLists ?? []).forEach((list, l) =>
      (list.commands ?? []).forEach((command, c) => {
        const at = `bots[${b}].commandLists[${l}].commands[${c}]`;
        const pointer = `/bots/${b}/commandLists/${l}/commands/${c}`;
        rules.push({ pointer: `${pointer}/title`, label: `${at}.title`, value: command.title, limit: 32 });
        rules.push({
          pointer: `${pointer}/description`,
          label: `${at}.description`,
          value: command.description,
          limit: 128,
        });
      }),
    ),
  );
  return rules;
}

export function localisationLengthRules(strings: Record<string, unknown>): LengthRule[] {
  const limits: Record<string, number> = {
    'name.short': 30,
    'name.full': 100,
    'description.short': 80,
    'description.full': 4000,
  };
  return Object.entries(strings).flatMap(([key, value]) => {
    const limit =
      limits[key] ??
      (/\.commands\[\d+\]\.title$/.test(key)
        ? 32
        : /\.commands\[\d+\]\.description$/.test(key)
          ? 128
          : undefined);
    return limit === undefined ? [] : [{ pointer: `/${key}`, label: key, value, limit }];
  });
}

/** Checks the rules; returns the problems and the pointers that broke a limit (to drop Ajv's duplicate). */
export function checkLengths(
  file: string,
  rules: LengthRule[],
): { problems: string[]; pointers: Set<string> } {
  const problems: string[] = [];
  const pointers = new Set<string>();
  for (const rule of rules) {
    if (typeof rule.value !== 'string' || length(rule.value) <= rule.limit) continue;
    problems.push(
      `${file}: ${rule.label} is ${length(rule.value)} characters long; Teams allows at most ${rule.limit}`,
    );
    pointers.add(rule.pointer);
  }
  return { problems, pointers };
}

export interface ManifestShape {
  manifestVersion?: unknown;
  webApplicationInfo?: { id: string };
  $schema?: unknown;
  name?: { short?: unknown; full?: unknown };
  description?: { short?: unknown; full?: unknown };
  developer?: { name?: unknown; websiteUrl?: unknown; privacyUrl?: unknown; termsOfUseUrl?: unknown };
  icons?: Record<string, unknown>;
  localizationInfo?: {
    defaultLanguageFile?: unknown;
    additionalLanguages?: { languageTag?: unknown; file?: unknown }[];
  };
  bots?: { commandLists?: { commands?: { title?: unknown; description?: unknown }[] }[] }[];
}
