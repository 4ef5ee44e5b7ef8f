/**
 * A real <table> over @tanstack/react-table. Above `virtualizeOver` rows only the visible rows are
 * in the DOM (the book can hold 50,000 accounts), with spacer rows keeping the scrollbar honest and
 * aria-rowcount/aria-rowindex telling assistive tech where each row sits.
 */
import {
  createRow,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type Header,
  type OnChangeFn,
  type Row as TableRow,
  type RowData,
  type SortingState,
  type Table,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useEffectEvent, useRef, useState, type ReactNode } from 'react';
import './DataTable.css';

declare module '@tanstack/react-table' {
  // Per-column layout hints read by DataTable. (Type parameters are required by the augmented interface.)
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Right-align numbers and money. */
    align?: 'left' | 'right';
    /** CSS width, e.g. '120px' or '20%'. The table uses fixed layout so virtual rows do not jitter. */
    width?: string;
    /**
     * A class for the column's cells, e.g. to let one column wrap. (A class rather than a `td:has()`
     * selector: `:has()` is re-checked on every row inserted while scrolling.)
     */
    cellClassName?: string;
    /** The column names its row (e.g. the account): its cells are <th scope="row"> for screen readers. */
    rowHeader?: boolean;
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

/*
 * Performance (docs/performance.md, "UI: scrolling"): rows are memoised. A row re-renders only when
 * its data object (`row.original`), its position, whether it is active, the click handler or the
 * column definitions change, so cells must render from `row.original` and their column only.
 * Moving the keyboard cursor re-renders two rows, and a new page or a scroll step renders only the
 * rows that appear, not every row on screen.
 */

const ROW_HEIGHT = 36;
/** Rows from the end of the loaded rows at which onEndReached is called. */
const END_ROWS = 15;

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
    // TanStack guesses a column's first direction from the first row's value, so a header clicked
    // before the server's page arrives (no rows yet) would sort the other way. Columns that should
    // start descending say so with their own `sortDescFirst`.
    sortDescFirst: false,
    enableSorting,
    enableSortingRemoval: false,
    getRowId,
  });
  // Sorted here, the table's row model holds every row in order. Sorted by the server, the rows are
  // `data` as it is, and a row object is made only for the rows rendered (rowAt).
  const sortedRows = manualSorting ? null : table.getRowModel().rows;
  const rowCount = sortedRows ? sortedRows.length : data.length;
  const rowAt = (index: number): TableRow<Row> | undefined =>
    sortedRows ? sortedRows[index] : lightRow(table, data, index, getRowId);
  const rowIdAt = (index: number): string | undefined =>
    sortedRows ? sortedRows[index]?.id : rowIdOf(data, index, getRowId);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = rowCount > virtualizeOver;
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    // Rows are a fixed 36 px (see DataTable.css), so a few rows each side cover a fast wheel step;
    // more only adds rows to style and lay out on every step.
    overscan: 6,
    enabled: virtual,
    // Keeps a row scrolled to by the keyboard clear of the sticky header.
    scrollPaddingStart: ROW_HEIGHT,
    // Render the new rows in React's own task rather than inside the scroll event, which also holds
    // the frame's style, layout and paint: together they made the few long tasks left while
    // scrolling (docs/performance.md, "UI: scrolling"). The overscan rows cover the frame between.
    useFlushSync: false,
  });
  const items = virtual ? virtualizer.getVirtualItems() : [];
  const padTop = items[0]?.start ?? 0;
  // Before the virtualiser has measured the viewport it yields no items; the bottom spacer must
  // still hold the full height, or the table looks empty and onEndReached fires at once.
  const padBottom = virtual ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0;
  const visible = virtual
    ? items.map((item) => ({ row: rowAt(item.index), index: item.index }))
    : Array.from({ length: rowCount }, (_, index) => ({ row: rowAt(index), index }));

  const endReached = useEffectEvent(() => onEndReached?.());
  // Virtualised, "near the end" is a question about indexes: the last row rendered (overscan
  // included) is within END_ROWS of the last row loaded. Performance (docs/performance.md, "UI:
  // scrolling"): no scroll geometry is read, so asking never forces a layout while scrolling.
  const lastRendered = items[items.length - 1]?.index ?? -1;
  useEffect(() => {
    if (virtual && lastRendered >= 0 && lastRendered >= rowCount - END_ROWS) endReached();
  }, [virtual, lastRendered, rowCount]);
  // Not virtualised, the scroll position decides, checked on scroll and when the row count changes
  // (a short first page may not fill the viewport, so no scroll event would ever ask for more);
  // not after every render, which would read scrollHeight right after each commit.
  const checkEnd = () => {
    const el = scrollRef.current;
    if (virtual || !el || !onEndReached) return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight < END_ROWS * ROW_HEIGHT) onEndReached();
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps -- only new rows can leave the viewport unfilled
  useEffect(checkEnd, [rowCount]);

  let activeIndex = -1;
  if (activeRowId)
    for (let i = 0; i < rowCount && activeIndex < 0; i++) if (rowIdAt(i) === activeRowId) activeIndex = i;
  useEffect(() => {
    if (activeIndex < 0) return;
    if (virtual) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
    else scrollRef.current?.querySelector('tr[aria-current="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [activeIndex, virtual, virtualizer]);

  const partial = totalRows !== undefined && totalRows !== rowCount;
  const ariaRowIndexes = virtual || partial;
  const columnCount = table.getVisibleLeafColumns().length;

  return (
    <div
      className="data-table"
      ref={scrollRef}
      onScroll={virtual ? undefined : checkEnd}
      tabIndex={0}
      role="region"
      aria-label={label}
    >
      <table
        className="data-table__table"
        aria-label={label}
        aria-rowcount={ariaRowIndexes ? (totalRows ?? rowCount) + 1 : undefined}
      >
        <colgroup>
          {table.getVisibleLeafColumns().map((column) => (
            <col
              key={column.id}
              style={column.columnDef.meta?.width ? { width: column.columnDef.meta.width } : undefined}
            />
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
              <DataRow
                key={row.id}
                row={row}
                original={row.original}
                columns={columns}
                rowIndex={ariaRowIndexes ? index + 2 : undefined}
                active={row.id === activeRowId}
                onRowClick={onRowClick}
              />
            ) : null,
          )}
          {padBottom > 0 && <tr aria-hidden="true" className="data-table__spacer" style={{ height: padBottom }} />}
          {rowCount === 0 && empty && (
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

function rowIdOf<Row>(
  data: Row[],
  index: number,
  getRowId: ((row: Row, index: number) => string) | undefined,
): string | undefined {
  const original = data[index];
  if (original === undefined) return undefined;
  return getRowId ? getRowId(original, index) : String(index);
}

/**
 * The table's row object for `data[index]`, made as it is rendered. Performance
 * (docs/performance.md, "UI: scrolling"): the table's own row model rebuilds a row object for every
 * loaded row whenever `data` changes, so each page appended to a 5,000-row list made (and the
 * garbage collector copied) 5,000 of them; only the few dozen on screen are needed. They are not
 * kept: DataRow compares the data object, and a short-lived object costs the collector little.
 */
function lightRow<Row>(
  table: Table<Row>,
  data: Row[],
  index: number,
  getRowId: ((row: Row, index: number) => string) | undefined,
): TableRow<Row> | undefined {
  const original = data[index];
  if (original === undefined) return undefined;
  return createRow(table, rowIdOf(data, index, getRowId) as string, original, index, 0);
}

interface DataRowProps<Row> {
  row: TableRow<Row>;
  /** Compared instead of `row`, which the table rebuilds whenever `data` changes. */
  original: Row;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<Row, any>[];
  rowIndex: number | undefined;
  active: boolean;
  onRowClick: ((rowId: string) => void) | undefined;
}

function DataRowView<Row>({ row, rowIndex, active, onRowClick }: DataRowProps<Row>) {
  return (
    <tr
      aria-rowindex={rowIndex}
      aria-current={active ? 'true' : undefined}
      // The cursor's row can hold focus (not in the tab order): a dialog opened from it returns there.
      tabIndex={active ? -1 : undefined}
      className={active ? 'data-table__row--active' : undefined}
      onClick={onRowClick ? () => onRowClick(row.id) : undefined}
    >
      {row.getVisibleCells().map((cell) => {
        const meta = cell.column.columnDef.meta;
        const className = [meta?.align === 'right' ? 'data-table__cell--right' : '', meta?.cellClassName ?? '']
          .filter(Boolean)
          .join(' ');
        const content = flexRender(cell.column.columnDef.cell, cell.getContext());
        return meta?.rowHeader ? (
          <th key={cell.id} scope="row" className={className || undefined}>
            {content}
          </th>
        ) : (
          <td key={cell.id} className={className || undefined}>
            {content}
          </td>
        );
      })}
    </tr>
  );
}

const DataRow = memo(
  DataRowView,
  (a, b) =>
    a.original === b.original &&
    a.row.id === b.row.id &&
    a.columns === b.columns &&
    a.rowIndex === b.rowIndex &&
    a.active === b.active &&
    a.onRowClick === b.onRowClick,
) as typeof DataRowView;

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
