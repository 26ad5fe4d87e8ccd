/**
 * CSV injection: Excel and LibreOffice run a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
 * return) as a formula when they open a CSV file, so a register value like `=HYPERLINK(...)` could act on the
 * coordinator's machine. Export prefixes such cells with an apostrophe (OWASP's advice); import removes exactly
 * that apostrophe again, so export → import still round-trips. XLSX needs none of this: its cells are typed text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function guardFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function unguardFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}
