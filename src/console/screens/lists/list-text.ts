/** The items of a pasted or uploaded text: one per line, trimmed, blank lines and repeats dropped. */
export function itemsOfText(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== ''),
    ),
  ];
}
