/**
 * Markdown characters that can make a link, an image, HTML or emphasis out of plain text in Teams. Parentheses,
 * dots and hyphens are left alone: without `[` `]` they cannot form a link, and escaping them would clutter every
 * ordinary name ("Procapita (IFO)", "Anna-Lena").
 */
const MARKDOWN_SPECIAL = /[\\`*_[\]<>~#|]/g;

/** `text` with every Markdown control character backslash-escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}
