import type { Language } from '../../data/model.js';
import type { ReviewCampaign } from '../../data/reviewModel.js';
import { t } from '../i18n/index.js';
import { guardFormula } from '../register/csvCells.js';
import { slug } from '../register/ids.js';

/**
 * The result of an access review as an XLSX workbook, the record a coordinator keeps or files: one sheet with the
 * campaign (system, started by and when, due, status, decided by and when) and one row per access with the decision
 * and the reason of each removal, in the asker's language. Cell texts that a spreadsheet would run as a formula are
 * guarded (`guardFormula`), as the register's exports are. exceljs is loaded on the first call.
 */
export async function reviewToWorkbook(
  campaign: ReviewCampaign,
  names: { system: string; nameOf: (personId: string) => string },
  language: Language,
): Promise<Buffer> {
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  workbook.creator = 'Ansvar';
  const sheet = workbook.addWorksheet(t(language, 'review.file.sheet'), {
    views: [{ state: 'frozen', ySplit: 6 }],
  });
  const decision = campaign.decision;
  const facts: [string, string][] = [
    [t(language, 'review.file.system'), names.system],
    [
      t(language, 'review.file.started'),
      `${campaign.startedAt.slice(0, 10)} (${names.nameOf(campaign.startedBy)})`,
    ],
    [t(language, 'review.file.due'), campaign.dueAt.slice(0, 10)],
    [t(language, 'review.file.status'), t(language, `review.file.status.${campaign.status}`)],
    [
      t(language, 'review.file.decided'),
      decision ? `${decision.at.slice(0, 10)} (${names.nameOf(decision.by)})` : '',
    ],
  ];
  for (const [label, value] of facts) sheet.addRow([guardFormula(label), guardFormula(value)]);
  const header = sheet.addRow([
    t(language, 'review.file.person'),
    t(language, 'review.file.email'),
    t(language, 'review.file.role'),
    t(language, 'review.file.source'),
    t(language, 'review.file.decision'),
    t(language, 'review.file.reason'),
    t(language, 'review.file.stopRequest'),
  ]);
  header.font = { bold: true };
  const items = new Map((decision?.items ?? []).map((i) => [`${i.personId}|${i.role}`, i] as const));
  for (const entry of campaign.entries) {
    const item = items.get(`${entry.personId}|${entry.role}`);
    sheet.addRow(
      [
        names.nameOf(entry.personId),
        entry.personId,
        entry.role,
        entry.sources.join(' + '),
        item === undefined
          ? ''
          : t(language, item.outcome === 'remove' ? 'review.file.remove' : 'review.file.keep'),
        item?.reason ?? '',
        item?.stopRequestId ?? '',
      ].map(guardFormula),
    );
  }
  for (const column of sheet.columns) {
    const longest = Math.max(...(column.values ?? []).map((v) => String(v ?? '').length));
    column.width = Math.min(60, Math.max(12, longest + 2));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** "Ansvar-granskning-raindance-2027-04-01.xlsx": ASCII letters, digits and '-' only (a safe name everywhere). */
export function reviewFileName(systemName: string, language: Language, now: Date): string {
  const parts = [
    'Ansvar',
    slug(t(language, 'review.file.sheet')),
    slug(systemName).slice(0, 60),
    now.toISOString().slice(0, 10),
  ];
  return `${parts.filter((p) => p !== '').join('-')}.xlsx`;
}
