/**
 * npm run template -- sv|nn|nb|en FILE.xlsx
 *
 * Writes an empty register workbook to fill in: every column the import reads, headed in the language, an example
 * row per sheet and an instructions sheet. Exit codes: 0 written, 2 usage error, 3 the file cannot be written.
 */
import { parseArgs } from 'node:util';
import { LANGUAGES, type Language } from '../data/model.js';
import { outputFileProblem } from '../services/infrastructure/operatorMessages.js';
import { writeTemplate } from '../services/register/template.js';

const USAGE = `Usage: npm run template -- sv|nn|nb|en FILE.xlsx

Writes a register template to fill in: the sheets systems, people, roles and organisations with every column,
headed in Swedish (sv), Nynorsk (nn), Bokmål (nb) or English (en), an example row each, and a sheet that explains
every column and lists the accepted role words. Then: npm run import -- --dry-run FILE.xlsx`;

async function main(argv: string[]): Promise<number> {
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h', default: false } },
    });
    if (parsed.values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    positionals = parsed.positionals;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const [language, file, ...rest] = positionals;
  if (!(LANGUAGES as readonly string[]).includes(language ?? '') || file === undefined || rest.length > 0) {
    process.stderr.write(`Give a language (sv, nn, nb or en) and one FILE.xlsx.\n\n${USAGE}\n`);
    return 2;
  }
  if (!/\.xlsx$/i.test(file)) {
    process.stderr.write(`The template is an Excel workbook: name it FILE.xlsx (not ${file}).\n`);
    return 2;
  }
  try {
    await writeTemplate(language as Language, file);
  } catch (error) {
    process.stderr.write(`Could not write the template: ${outputFileProblem(error, file)}\n`);
    return 3;
  }
  process.stdout.write(
    `Wrote ${file}. Fill it in (replace the example rows), then check it with:\n` +
      `  npm run import -- --dry-run ${file}\n`,
  );
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
