/** A plain-text table for the terminal, and the same rows as a Markdown table for the results file. */
export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  /** Lines printed under the table: what was measured, checks, caveats. */
  notes?: string[];
}

const isNumeric = (cell: string) => /^[-+~≥≤<>]?[\d.,]+\s*(×|%|µs|ms|s|\/s)?$/.test(cell.trim());

export function formatTable(table: Table): string {
  const widths = table.columns.map((column, index) => Math.max(column.length, ...table.rows.map((row) => (row[index] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => (index > 0 && isNumeric(cell) ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [
    `\n== ${table.title}`,
    line(table.columns),
    rule,
    ...table.rows.map(line),
    ...(table.notes ?? []).map((note) => `  ${note}`),
  ].join('\n');
}

export function markdownTable(table: Table): string {
  const escapeCell = (cell: string) => cell.replace(/\|/g, '\\|');
  return [
    `### ${table.title}`,
    '',
    `| ${table.columns.map(escapeCell).join(' | ')} |`,
    `|${table.columns.map((_, index) => (index === 0 ? '---' : '--:')).join('|')}|`,
    ...table.rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
    '',
    ...(table.notes ?? []).map((note) => `- ${note}`),
  ].join('\n');
}

/** 12345.6 → "12,346"; small numbers keep up to `digits` significant decimals. */
export function fmt(value: number | undefined, digits = 1): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 100) return value.toFixed(0);
  return value.toFixed(digits);
}

/** A ratio as "12.3×". */
export const times = (ratio: number | undefined): string =>
  ratio === undefined || !Number.isFinite(ratio) ? 'n/a' : `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×`;

export const percent = (share: number | undefined): string =>
  share === undefined || !Number.isFinite(share) ? 'n/a' : `${(share * 100).toFixed(1)} %`;
