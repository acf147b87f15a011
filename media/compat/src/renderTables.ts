import type { RowView, SymbolView, TableView } from '../../../src/ui/compat/compatViewModel';
import { h, section } from './dom';

/**
 * The vendor's three tables as real tables: a caption, column headers, a row-group header for same/different
 * device and a row header per row, so a screen reader announces each cell with its headings. The row of the
 * current case carries aria-current and a visible "Your case" marker (not colour alone).
 */
export function renderTables(heading: string, tables: readonly TableView[]): HTMLElement {
  return section('tables', heading, ...tables.map(renderTable));
}

function renderTable(table: TableView): HTMLElement {
  const [targetCol, ...otherCols] = table.columns;
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { id: table.id, class: 'matrix' },
      h('caption', {}, table.caption),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, targetCol), ...otherCols.map((c) => h('th', { scope: 'col' }, c)))),
      ...table.groups.map((group) =>
        h(
          'tbody',
          {},
          ...group.rows.map((row, i) =>
            renderRow(row, i === 0 ? h('th', { scope: 'rowgroup', rowspan: group.rows.length, class: 'group-header' }, group.header) : null),
          ),
        ),
      ),
    ),
  );
}

function renderRow(row: RowView, groupHeader: HTMLElement | null): HTMLElement {
  return h(
    'tr',
    { 'data-cell-id': row.cellId, class: `mark-${row.mark}`, 'aria-current': row.mark === 'current' ? 'true' : undefined },
    groupHeader,
    h('th', { scope: 'row' }, row.targetSupervised, row.markText && h('span', { class: `marker marker-${row.mark}` }, row.markText)),
    symbolCell(row.supported),
    symbolCell(row.agent),
    symbolCell(row.mdm),
    h('td', {}, row.remarks),
  );
}

function symbolCell(symbol: SymbolView): HTMLElement {
  return h(
    'td',
    { class: `symbol-cell tone-${symbol.tone}` },
    h('span', { class: 'symbol', 'aria-hidden': 'true' }, symbol.symbol),
    ' ',
    h('span', { class: 'symbol-label' }, symbol.label),
  );
}
