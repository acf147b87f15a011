import type { PageMessage } from '../../../src/ui/compat/panelMessages';
import type { ActionListView, ActionView, CompatViewModel, PreconditionView, StepView } from '../../../src/ui/compat/compatViewModel';
import { h, section } from './dom';

const STATUS_ICON: Record<PreconditionView['status'], string> = { pass: '✓', fail: '✗', unknown: '?', info: 'i' };

/** The preconditions as a checklist: each with its status in words, why, and the document's examples. */
export function renderPreconditions(model: CompatViewModel): HTMLElement {
  return section(
    'preconditions',
    model.text.preconditionsHeading,
    h(
      'ol',
      { class: 'checklist' },
      ...model.preconditions.map((p) =>
        h(
          'li',
          { class: `check status-${p.status}`, 'data-status': p.status },
          h('span', { class: 'status' }, h('span', { class: 'status-icon', 'aria-hidden': 'true' }, STATUS_ICON[p.status]), ' ', p.statusText),
          ' ',
          h('span', { class: 'check-text' }, p.text),
          h('p', { class: 'why' }, p.why),
          p.examples.length > 0 &&
            h('details', {}, h('summary', {}, model.text.examplesLabel), h('ul', {}, ...p.examples.map((e) => h('li', {}, e)))),
        ),
      ),
    ),
  );
}

/** A list of actions (after the restore, or instead of it). */
export function renderActions(id: string, list: ActionListView): HTMLElement {
  return section(
    id,
    list.heading,
    list.actions.length === 0 && list.emptyText !== null && h('p', { class: 'empty' }, list.emptyText),
    ...list.actions.map(renderAction),
    list.note !== null && h('p', { class: 'note' }, list.note),
  );
}

function renderAction(action: ActionView): HTMLElement {
  return h(
    'article',
    { class: 'action' },
    h('h3', {}, action.title),
    ...action.explanation.map((e) => h('p', {}, e)),
    action.steps.length > 0 && renderSteps(action.steps),
    action.reference !== null && h('p', { class: 'reference' }, action.reference),
  );
}

function renderSteps(steps: readonly StepView[]): HTMLElement {
  return h('ol', { class: 'steps' }, ...steps.map((s) => h('li', {}, s.text, s.note !== null && h('p', { class: 'step-note' }, s.note))));
}

/** The restore-method tabs (iTunes, Finder, iCloud) with the chosen method's requirements and steps. */
export function renderMethods(model: CompatViewModel, send: (message: PageMessage) => void): HTMLElement {
  const methods = model.methods;
  const tabs = h('vscode-tabs', { id: 'method-tabs', 'selected-index': methods.selectedIndex, 'aria-label': methods.label });
  methods.procedures.forEach((p) => {
    // vscode-tabs assigns its own ids to headers and panels, so ours go into data attributes.
    tabs.appendChild(h('vscode-tab-header', { slot: 'header', 'data-method': p.id, 'data-focus-key': `method-${p.id}` }, p.title));
    tabs.appendChild(
      h(
        'vscode-tab-panel',
        { 'data-method': p.id },
        h('h3', {}, p.title),
        p.requirements.length > 0 && h('h4', {}, model.text.requirementsHeading),
        p.requirements.length > 0 && h('ul', {}, ...p.requirements.map((r) => h('li', {}, r))),
        h('h4', {}, model.text.stepsHeading),
        renderSteps(p.steps),
      ),
    );
  });
  tabs.addEventListener('vsc-tabs-select', (event) => {
    const index = (event as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
    const procedure = methods.procedures[index];
    if (procedure) send({ type: 'selectMethod', methodId: procedure.id });
  });
  return section('method', model.text.methodHeading, tabs);
}

/** Where the rules come from and the document's own scope statement. */
export function renderAbout(model: CompatViewModel): HTMLElement {
  return section('about', model.text.aboutHeading, h('p', { class: 'citation' }, model.citation), h('ul', {}, ...model.scope.map((s) => h('li', {}, s))));
}
