import assert from 'node:assert/strict';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { LANGUAGES } from '../../../data/model.js';
import { COLUMNS, FILE_KINDS, HEADER_WORDS, INSTRUCTION_SHEET } from '../../../services/register/headers.js';
import { importRegisterFiles } from '../../../services/register/importer.js';
import { writeTemplate } from '../../../services/register/template.js';
import { roleWordsFor } from '../../../services/register/vocabulary.js';
import { makeTempDir } from './fixtures/files.js';

describe('the register template (npm run template)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  for (const language of LANGUAGES) {
    it(`in ${language}: every column headed in the language, role words explained, and it imports as it is`, async () => {
      const file = path.join(dir, language, 'register.xlsx');
      await writeTemplate(language, file);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file);
      const headers = workbook.worksheets.flatMap((ws) =>
        (ws.getRow(1).values as unknown[]).slice(1).map(String),
      );
      for (const kind of FILE_KINDS)
        for (const column of COLUMNS[kind] as readonly string[]) {
          const word = (HEADER_WORDS[language][kind] as Record<string, string>)[column]!;
          assert.ok(headers.includes(word), `${kind}.${column} as "${word}"`);
        }
      const help = workbook.getWorksheet(INSTRUCTION_SHEET[language]);
      assert.ok(help, 'an instructions sheet');
      const helpText = help.getSheetValues().flat().map(String).join('\n');
      for (const { word } of roleWordsFor(language)) assert.ok(helpText.includes(word), `role word ${word}`);

      const report = await importRegisterFiles(new MemoryRegisterStore(), [file], { dryRun: true });
      assert.equal(report.counts.systems.added, 1);
      assert.equal(report.counts.people.added, 1);
      assert.deepEqual(
        report.warnings.filter((w) => !/read as|gap:/.test(w.message)).map((w) => w.message),
        [],
        'no warnings but the example name and its gap',
      );
    });
  }
});
