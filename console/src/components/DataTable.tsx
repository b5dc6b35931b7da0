import { Fragment, type ReactNode } from 'react';

/** A column: its header and how a row shows in it. */
export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** class of both the header and the cells (e.g. `right`, `mono`, `ellipsis`) */
  className?: string;
  /** a cell's tooltip (the full text of an ellipsised one) */
  title?: (row: T) => string | undefined;
}

/**
 * The console's table: horizontally scrollable on a phone, one header row, one row per item and, where
 * `detail` gives something for a row, a full-width row under it (attempts of a delivery, an edit form).
 */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  className,
  testId,
  label,
  detail,
}: {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  className?: string;
  testId?: string;
  /** the table's accessible name */
  label?: string;
  detail?: (row: T) => ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className={className} data-testid={testId} aria-label={label}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} className={c.className}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const key = rowKey(row);
            const more = detail?.(row);
            return (
              <Fragment key={key}>
                <tr data-key={key}>
                  {columns.map((c, i) => (
                    <td key={i} className={c.className} title={c.title?.(row)}>
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
