/**
 * A real <table> over @tanstack/react-table. Above `virtualizeOver` rows only the visible rows are
 * in the DOM (the book can hold 50,000 accounts), with spacer rows keeping the scrollbar honest and
 * aria-rowcount/aria-rowindex telling assistive tech where each row sits.
 */
import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type Header,
  type OnChangeFn,
  type RowData,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import './DataTable.css';

declare module '@tanstack/react-table' {
  // Per-column layout hints read by DataTable. (Type parameters are required by the augmented interface.)
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Right-align numbers and money. */
    align?: 'left' | 'right';
    /** CSS width, e.g. '120px' or '20%'. The table uses fixed layout so virtual rows do not jitter. */
    width?: string;
  }
}

export interface DataTableProps<Row> {
  /** Accessible name of the table, e.g. "Accounts". */
  label: string;
  data: Row[];
  // Columns mix value types (string, number…), which ColumnDef can only express as `any`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<Row, any>[];
  getRowId?: (row: Row, index: number) => string;
  /** All matching rows when `data` is only the part loaded so far (sets aria-rowcount). */
  totalRows?: number;
  /** Sorting state, controlled. Omit both to let the table keep its own, starting at initialSorting. */
  sorting?: SortingState;
  onSortingChange?: OnChangeFn<SortingState>;
  initialSorting?: SortingState;
  /** Whether headers are sort buttons. Turn off when only part of the rows are loaded. Default true. */
  enableSorting?: boolean;
  /** The data arrives sorted (by the server); the table only reports the sort state. */
  manualSorting?: boolean;
  /** Row count above which rows are virtualised. Default 100. */
  virtualizeOver?: number;
  /** Called when the user scrolls near the end, to load the next page. */
  onEndReached?: () => void;
  /** Shown in place of rows when there are none. */
  empty?: ReactNode;
  /** Shown under the last row, e.g. a "Loading more…" line. */
  footer?: ReactNode;
  /** The row a keyboard cursor is on (by getRowId): marked aria-current and kept scrolled into view. */
  activeRowId?: string | null;
  /** Called with the row id when a row is clicked, e.g. to move a keyboard cursor there. */
  onRowClick?: (rowId: string) => void;
}

const ROW_HEIGHT = 36;
const END_THRESHOLD_PX = ROW_HEIGHT * 15;

export function DataTable<Row>({
  label,
  data,
  columns,
  getRowId,
  totalRows,
  sorting: controlledSorting,
  onSortingChange,
  initialSorting = [],
  enableSorting = true,
  manualSorting = false,
  virtualizeOver = 100,
  onEndReached,
  empty,
  footer,
  activeRowId,
  onRowClick,
}: DataTableProps<Row>) {
  const [ownSorting, setOwnSorting] = useState<SortingState>(initialSorting);
  const sorting = controlledSorting ?? ownSorting;

  // eslint-disable-next-line react-hooks/incompatible-library -- the table instance is only read during this render
  const table = useReactTable({
    data,
    columns,
    state: { sorting },
    onSortingChange: onSortingChange ?? setOwnSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: manualSorting ? undefined : getSortedRowModel(),
    manualSorting,
    enableSorting,
    enableSortingRemoval: false,
    getRowId,
  });
  const rows = table.getRowModel().rows;

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = rows.length > virtualizeOver;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
    enabled: virtual,
    // Keeps a row scrolled to by the keyboard clear of the sticky header.
    scrollPaddingStart: ROW_HEIGHT,
  });
  const items = virtual ? virtualizer.getVirtualItems() : [];
  const padTop = items[0]?.start ?? 0;
  // Before the virtualiser has measured the viewport it yields no items; the bottom spacer must
  // still hold the full height, or the table looks empty and onEndReached fires at once.
  const padBottom = virtual ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0;
  const visible = virtual ? items.map((item) => ({ row: rows[item.index], index: item.index })) : rows.map((row, index) => ({ row, index }));

  const checkEnd = () => {
    const el = scrollRef.current;
    if (!el || !onEndReached) return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight < END_THRESHOLD_PX) onEndReached();
  };
  // A short first page may not fill the viewport, so no scroll event would ever ask for more.
  // Performance (docs/performance.md, "UI: scrolling"): checked when the row count changes, not
  // after every render: reading scrollHeight right after each commit forced a layout per frame
  // while scrolling; scrolling itself is covered by onScroll.
  const rowCount = rows.length;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- only new rows can leave the viewport unfilled
  useEffect(checkEnd, [rowCount]);

  const activeIndex = activeRowId ? rows.findIndex((row) => row.id === activeRowId) : -1;
  useEffect(() => {
    if (activeIndex < 0) return;
    if (virtual) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
    else scrollRef.current?.querySelector('tr[aria-current="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [activeIndex, virtual, virtualizer]);

  const partial = totalRows !== undefined && totalRows !== rows.length;
  const ariaRowIndexes = virtual || partial;
  const columnCount = table.getVisibleLeafColumns().length;

  return (
    <div className="data-table" ref={scrollRef} onScroll={checkEnd} tabIndex={0} role="region" aria-label={label}>
      <table className="data-table__table" aria-label={label} aria-rowcount={ariaRowIndexes ? (totalRows ?? rows.length) + 1 : undefined}>
        <colgroup>
          {table.getVisibleLeafColumns().map((column) => (
            <col key={column.id} style={column.columnDef.meta?.width ? { width: column.columnDef.meta.width } : undefined} />
          ))}
        </colgroup>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={ariaRowIndexes ? 1 : undefined}>
              {group.headers.map((header) => (
                <HeaderCell key={header.id} header={header} />
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {padTop > 0 && <tr aria-hidden="true" className="data-table__spacer" style={{ height: padTop }} />}
          {visible.map(({ row, index }) =>
            row ? (
              <tr
                key={row.id}
                aria-rowindex={ariaRowIndexes ? index + 2 : undefined}
                aria-current={row.id === activeRowId ? 'true' : undefined}
                className={row.id === activeRowId ? 'data-table__row--active' : undefined}
                onClick={onRowClick ? () => onRowClick(row.id) : undefined}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={cell.column.columnDef.meta?.align === 'right' ? 'data-table__cell--right' : undefined}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ) : null,
          )}
          {padBottom > 0 && <tr aria-hidden="true" className="data-table__spacer" style={{ height: padBottom }} />}
          {rows.length === 0 && empty && (
            <tr>
              <td colSpan={columnCount} className="data-table__empty">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {footer && <div className="data-table__footer">{footer}</div>}
    </div>
  );
}

function HeaderCell<Row>({ header }: { header: Header<Row, unknown> }) {
  const column = header.column;
  const sorted = column.getIsSorted();
  const right = column.columnDef.meta?.align === 'right';
  const content = header.isPlaceholder ? null : flexRender(column.columnDef.header, header.getContext());
  return (
    <th
      scope="col"
      className={right ? 'data-table__cell--right' : undefined}
      // Only the column that orders the rows carries aria-sort, as the ARIA practices recommend.
      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
    >
      {column.getCanSort() ? (
        <button type="button" className="data-table__sort" onClick={column.getToggleSortingHandler()}>
          {content}
          <SortMark direction={sorted} />
        </button>
      ) : (
        <span className="data-table__header-label">
          {content}
          {sorted && <SortMark direction={sorted} />}
        </span>
      )}
    </th>
  );
}

function SortMark({ direction }: { direction: false | 'asc' | 'desc' }) {
  return (
    <span className={`data-table__sort-mark${direction ? ' data-table__sort-mark--active' : ''}`} aria-hidden="true">
      {direction === 'asc' ? '↑' : direction === 'desc' ? '↓' : '↕'}
    </span>
  );
}
