/** Where a problem was found and what it is. `row` is the spreadsheet row number (header = row 1). */
export interface ImportProblem {
  /** The file as the operator named it. */
  file: string;
  /** XLSX only: the worksheet. */
  sheet?: string;
  row?: number;
  message: string;
}

export interface Location {
  file: string;
  sheet?: string;
  row: number;
}

/** `FILE:ROW: reason`, `FILE#SHEET:ROW: reason` for a workbook, `FILE: reason` for a whole file. */
export function formatProblem(problem: ImportProblem): string {
  const where = problem.sheet === undefined ? problem.file : `${problem.file}#${problem.sheet}`;
  return problem.row === undefined
    ? `${where}: ${problem.message}`
    : `${where}:${problem.row}: ${problem.message}`;
}

export function formatLocation(at: Location): string {
  return formatProblem({ ...at, message: '' }).slice(0, -2);
}

export function problemAt(at: Location, message: string): ImportProblem {
  return { ...at, message };
}
