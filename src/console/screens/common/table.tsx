import type { ReactNode } from 'react';

/**
 * A table with column headers and a name: `caption` (visually hidden unless `showCaption`) or the id
 * of a heading that names it. Rows are the children; each row's first cell is usually a row header.
 */
export function Table({
  caption,
  showCaption,
  labelledBy,
  columns,
  children,
}: {
  caption?: string;
  showCaption?: boolean;
  labelledBy?: string;
  columns: string[];
  children: ReactNode;
}) {
  return (
    <table aria-labelledby={labelledBy}>
      {caption && <caption className={showCaption ? undefined : 'visually-hidden'}>{caption}</caption>}
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
