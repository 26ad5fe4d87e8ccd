import type { Language, RegisterSnapshot } from '../../data/model.js';
import { organisationId, slug } from './ids.js';
import type { ImportRows } from './rows.js';

export interface LanguageHints {
  no: number;
  se: number;
}

/** Country of the e-mail domains used with each organisation in the files and the register. */
export function collectLanguageHints(
  snapshot: RegisterSnapshot,
  rows: ImportRows,
): Map<string, LanguageHints> {
  const hints = new Map<string, LanguageHints>();
  const count = (orgName: string | null | undefined, emails: readonly string[]) => {
    if (!orgName) return;
    const id = organisationId(orgName);
    const h = hints.get(id) ?? { no: 0, se: 0 };
    for (const e of emails) {
      if (e.endsWith('.no')) h.no += 1;
      else if (e.endsWith('.se')) h.se += 1;
    }
    hints.set(id, h);
  };
  for (const p of rows.people) count(p.organisation, [p.email]);
  for (const s of rows.systems)
    count(s.organisation, [...(s.owner ?? []), ...(s.administrator ?? []), ...(s.deputies ?? [])]);
  for (const r of rows.roles) count(r.organisation, [r.person]);
  const names = new Map(snapshot.organisations.map((o) => [o.id, o.name]));
  for (const p of snapshot.people) if (p.organisationId) count(names.get(p.organisationId), [p.email]);
  return hints;
}

/**
 * The language of an organisation nobody described: Norwegian when its people's e-mail addresses are mostly .no or
 * its name says "kommune"/"fylke", else Swedish. Bokmål rather than Nynorsk because most Norwegian municipalities
 * write Bokmål; a Nynorsk municipality states it in the organisations table (the import warns every time it guesses).
 */
export function guessLanguage(name: string, hints?: LanguageHints): Language {
  if (hints && hints.no !== hints.se) return hints.no > hints.se ? 'nb' : 'sv';
  const words = slug(name).split('-');
  if (words.some((w) => w === 'kommune' || w === 'fylkeskommune' || w === 'fylke')) return 'nb';
  return 'sv';
}
