import type { PageMessage } from '../../../src/ui/compat/panelMessages';
import type { CompatViewModel, RestoreCheckView, RestoreChecksView } from '../../../src/ui/compat/compatViewModel';
import { h, section } from './dom';

const STATUS_ICON: Record<RestoreCheckView['status'], string> = { pass: '✓', warn: '!', fail: '✗', unknown: '?' };

/** The restore checks the restore command ran for this backup and target, as a checklist with a summary. */
export function renderRestoreChecks(checks: RestoreChecksView, send: (message: PageMessage) => void): HTMLElement {
  const element = section(
    'restore-checks',
    checks.heading,
    // While the checks run the section is busy; screen readers wait for the result instead of reading a blank list.
    h('p', { class: 'summary', id: 'restore-checks-summary', role: 'status' }, checks.summary),
    checks.items.length > 0 &&
      h(
        'ol',
        { class: 'checklist' },
        ...checks.items.map((c) =>
          h(
            'li',
            { class: `check status-${c.status}`, 'data-check': c.id, 'data-status': c.status },
            h('span', { class: 'status' }, h('span', { class: 'status-icon', 'aria-hidden': 'true' }, STATUS_ICON[c.status]), ' ', c.statusText),
            ' ',
            h('span', { class: 'check-text' }, c.title),
            h('p', { class: 'why' }, c.sentence),
            c.action !== null && h('p', { class: 'action-text' }, c.action),
          ),
        ),
      ),
    renderVerifyAction(checks, send),
  );
  element.classList.add(`tone-${checks.tone}`);
  element.dataset.state = checks.state;
  element.dataset.tone = checks.tone;
  if (checks.state === 'running') element.setAttribute('aria-busy', 'true');
  return element;
}

/** The button that runs the full health check on the checked backup (a model saved by an older page has no such field). */
function renderVerifyAction(checks: RestoreChecksView, send: (message: PageMessage) => void): HTMLElement | false {
  const action = checks.verifyAction;
  if (!action) return false;
  const button = h('vscode-button', { id: 'verify-backup-button', secondary: true, title: action.description, 'aria-description': action.description }, action.label);
  button.addEventListener('click', () => send({ type: 'verifyBackup' }));
  return h('p', { class: 'verify-action' }, button);
}

/** The button that starts the restore command for the chosen pair (it checks and asks before touching the device). */
export function renderRestoreAction(model: CompatViewModel, send: (message: PageMessage) => void): HTMLElement | '' {
  const action = model.restoreAction;
  if (!action) return '';
  const button = h('vscode-button', { id: 'restore-button', title: action.description, 'aria-description': action.description }, action.label);
  button.addEventListener('click', () => send({ type: 'restore' }));
  return h('p', { class: 'restore-action' }, button);
}
