import { diffLines } from 'diff';

/** Unchanged lines kept around each change; longer unchanged runs are folded into one line that counts them. */
const CONTEXT = 3;

export type Line = { kind: 'added' | 'removed' | 'same'; text: string } | { kind: 'folded'; count: number };

/** The lines to show: every added and removed line, and up to CONTEXT unchanged lines either side of them. */
export function diffView(before: string, after: string): Line[] {
  const parts = diffLines(before, after);
  const lines: Line[] = [];
  parts.forEach((part, index) => {
    const texts = part.value.replace(/\n$/, '').split('\n');
    if (part.added || part.removed) {
      for (const text of texts) lines.push({ kind: part.added ? 'added' : 'removed', text });
      return;
    }
    const keepHead = index > 0 ? CONTEXT : 0;
    const keepTail = index < parts.length - 1 ? CONTEXT : 0;
    if (texts.length <= keepHead + keepTail + 1) {
      for (const text of texts) lines.push({ kind: 'same', text });
      return;
    }
    for (const text of texts.slice(0, keepHead)) lines.push({ kind: 'same', text });
    lines.push({ kind: 'folded', count: texts.length - keepHead - keepTail });
    for (const text of texts.slice(texts.length - keepTail)) lines.push({ kind: 'same', text });
  });
  return lines;
}
