import type { PageMessage } from '../../../src/ui/compat/panelMessages';
import type { CompatViewModel, PickerView } from '../../../src/ui/compat/compatViewModel';
import { h, section } from './dom';

/** The source and target pickers, the folder and refresh buttons, and the notices under them. */
export function renderSelection(model: CompatViewModel, send: (message: PageMessage) => void): HTMLElement {
  const source = picker('source-select', model.source, (index) => send({ type: 'selectSource', source: index < 0 ? null : model.source.options[index].value }));
  const target = picker('target-select', model.target, (index) => send({ type: 'selectTarget', udid: index < 0 ? null : model.target.options[index].value }));
  const browse = h('vscode-button', { id: 'browse-backup', secondary: true }, model.text.browseBackup);
  browse.addEventListener('click', () => send({ type: 'browseBackup' }));
  const refresh = h('vscode-button', { id: 'refresh', secondary: true }, model.text.refresh);
  refresh.addEventListener('click', () => send({ type: 'refresh' }));
  return section(
    'selection',
    model.text.selectionHeading,
    h('div', { class: 'pickers' }, source, target),
    h('div', { class: 'buttons' }, browse, refresh),
    model.notices.length > 0 &&
      h('ul', { class: 'notices' }, ...model.notices.map((n) => h('li', { class: `notice notice-${n.tone}` }, n.text))),
  );
}

/** A labelled drop-down whose first entry means "nothing chosen"; onPick gets the option index or -1. */
function picker<T>(id: string, view: PickerView<T>, onPick: (index: number) => void): HTMLElement {
  const select = h(
    'vscode-single-select',
    { id, label: view.label, class: 'picker' },
    h('vscode-option', { value: '', selected: view.selectedIndex < 0 }, view.placeholder),
    ...view.options.map((option, i) =>
      h('vscode-option', { value: String(i), description: option.description, selected: i === view.selectedIndex }, option.label),
    ),
  );
  select.addEventListener('change', () => {
    const value = (select as HTMLElement & { value: string }).value;
    onPick(value === '' ? -1 : Number(value));
  });
  return h('div', { class: 'field' }, h('vscode-label', { for: id }, view.label), select);
}
