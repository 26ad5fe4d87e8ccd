/**
 * Stable keys of the register (see data/model.ts). Every importer and every lookup derives ids here, so the same
 * name always yields the same id: "Tanum kommun" → "tanum-kommun", "Socialförvaltningen" → "socialforvaltningen".
 */

/** Letters that Unicode decomposition does not reduce to ASCII (Norwegian, Danish, German, Icelandic). */
const FOLDED: Record<string, string> = { æ: 'ae', ø: 'o', œ: 'oe', ß: 'ss', đ: 'd', ð: 'd', ł: 'l', þ: 'th' };

/** Lower-case, diacritics removed, runs of anything but a–z and 0–9 as one '-'; '' when nothing is left. */
export function slug(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[æøœßđðłþ]/g, (c) => FOLDED[c] ?? c)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function organisationId(name: string): string {
  return slug(name);
}

export function unitId(organisationId: string, unitName: string): string {
  return `${organisationId}/${slug(unitName)}`;
}

export function systemId(organisationId: string, systemName: string): string {
  return `${organisationId}/${slug(systemName)}`;
}

/** People are keyed by their lower-cased e-mail address (UPN). */
export function personId(email: string): string {
  return email.trim().toLowerCase();
}
