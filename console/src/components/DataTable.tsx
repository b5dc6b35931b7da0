import { Fragment, type ReactNode } from 'react';

/** A column: its header and how a row shows in it. */
export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** class of both the header and the cells (e.g. `right`, `mono`, `ellipsis`) */
  className?: string;
  /** class of the cells alone, after `className` (a `mono` id or an `ellipsis` text under a plain header) */
  cellClassName?: string;
  /** a cell's tooltip (the full text of an ellipsised one) */
  title?: (row: T) => string | undefined;
  /** the header's `aria-sort`, on a column the list can be sorted by */
  sort?: 'ascending' | 'descending' | 'none';
}

/**
 * The one row of a table that is open (its key, none: no row is) and what shows in a full-width row under it (the
 * attempts of a delivery, an edit form).
 */
export interface OpenRow<T> {
  key: string | null | undefined;
  detail: (row: T) => ReactNode;
}

/** How a row is told apart (its `data-key`): given, or by default the row's `id` where it has one. */
type RowKey<T> = T extends { id: string } ? { rowKey?: (row: T) => string } : { rowKey: (row: T) => string };

/**
 * The console's table: horizontally scrollable on a phone, one header row, one row per item and, under the
 * `open` row, its detail.
 */
export function DataTable<T>({
  rows,
  columns,
  rowKey = byId,
  className,
  testId,
  label,
  open,
  rowAttributes,
}: {
  rows: readonly T[];
  columns: readonly Column<T>[];
  className?: string;
  testId?: string;
  /** the table's accessible name */
  label?: string;
  open?: OpenRow<T>;
  /** more `data-` attributes of a row (what a test finds it by, besides `data-key`) */
  rowAttributes?: (row: T) => Record<`data-${string}`, string>;
} & RowKey<T>) {
  return (
    <div className="table-wrap">
      <table className={className} data-testid={testId} aria-label={label}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} className={c.className} aria-sort={c.sort}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const key = rowKey(row);
            const more = open != null && open.key === key ? open.detail(row) : null;
            return (
              <Fragment key={key}>
                <tr {...rowAttributes?.(row)} data-key={key}>
                  {columns.map((c, i) => (
                    <td key={i} className={cellClass(c)} title={c.title?.(row)}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
                {more != null && more !== false && (
                  <tr className="detail-row" data-detail-of={key}>
                    <td colSpan={columns.length}>{more}</td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function byId<T>(row: T): string {
  return (row as { id: string }).id;
}

function cellClass({ className, cellClassName }: { className?: string; cellClassName?: string }): string | undefined {
  return [className, cellClassName].filter(Boolean).join(' ') || undefined;
}
