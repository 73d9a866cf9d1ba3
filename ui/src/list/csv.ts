/** CSV of the chosen rows and columns (RFC 4180 quoting), downloaded by the browser. */
import type { FieldDefinition } from '../../../core/metadata/types.ts';
import { loc } from '../lib/i18n.ts';
import { valueText } from '../lib/format.tsx';

const cell = (text: string) => (/[",\n\r;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

export function downloadCsv(name: string, columns: FieldDefinition[], rows: Array<Record<string, unknown>>): void {
  const lines = [columns.map((c) => cell(loc(c.label, c.name))).join(','), ...rows.map((row) => columns.map((c) => cell(valueText(c, row[c.name]))).join(','))];
  const url = URL.createObjectURL(new Blob([`\uFEFF${lines.join('\r\n')}`], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
