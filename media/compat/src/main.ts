// The Restore Compatibility page: renders the host's view model and reports the engineer's choices back.
// It makes no decisions of its own; every text and verdict arrives ready from the extension host.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { HostMessage, PageMessage } from '../../../src/ui/compat/panelMessages';
import type { CompatViewModel } from '../../../src/ui/compat/compatViewModel';
import { h } from './dom';
import { renderAbout, renderActions, renderMethods, renderPreconditions } from './renderGuidance';
import { renderQuestions, type Drafts } from './renderQuestions';
import { renderRestoreAction, renderRestoreChecks } from './renderRestoreChecks';
import { renderSelection } from './renderSelection';
import { renderTables } from './renderTables';
import { renderVerdict } from './renderVerdict';
import { vscodeApi } from './vscodeApi';

const app = document.getElementById('app') as HTMLElement;
const announcer = document.getElementById('announcer') as HTMLElement;
const drafts: Drafts = new Map();
let lastAnnouncement = '';

const send = (message: PageMessage): void => vscodeApi.postMessage(message);

function render(model: CompatViewModel): void {
  // Re-rendering replaces the elements, so keyboard focus is put back on the new element with the same key.
  const focusKey = focusKeyOf(document.activeElement);
  document.documentElement.lang = model.lang;
  document.title = model.title;
  app.replaceChildren(
    h('h1', {}, model.title),
    renderSelection(model, send),
    renderVerdict(model.text.verdictHeading, model.verdict),
    // A model saved by an older version of the page has neither field.
    model.restoreChecks ? renderRestoreChecks(model.restoreChecks, send) : '',
    model.restoreAction ? renderRestoreAction(model, send) : '',
    renderQuestions(model, send, drafts),
    renderPreconditions(model),
    renderTables(model.text.tablesHeading, model.tables),
    renderActions('after-restore', model.afterRestore),
    model.instead !== null ? renderActions('instead', model.instead) : '',
    renderMethods(model, send),
    renderAbout(model),
  );
  app.removeAttribute('aria-busy');
  if (focusKey) void restoreFocus(focusKey);
  // The live region lives outside #app and only changes when the verdict does, so it is announced once.
  if (model.verdict.announcement !== lastAnnouncement) {
    lastAnnouncement = model.verdict.announcement;
    announcer.textContent = model.verdict.announcement;
  }
}

/** The key that finds "the same" control after a re-render: data-focus-key (for elements whose id a component rewrites), else the id. */
function focusKeyOf(element: Element | null): string {
  if (!(element instanceof HTMLElement)) return '';
  return element.dataset.focusKey ?? element.id;
}

async function restoreFocus(key: string): Promise<void> {
  const target = app.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`) ?? document.getElementById(key);
  if (!target) return;
  // The toolkit's components delegate focus into their shadow DOM, which exists only after their first update.
  await (target as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
  target.focus();
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (message?.type === 'render') {
    render(message.model);
    vscodeApi.setState({ selection: message.model.selection, model: message.model });
  }
});

// After a reload the last model is shown at once; the host's fresh one replaces it after the handshake.
const saved = vscodeApi.getState();
if (saved?.model) {
  lastAnnouncement = saved.model.verdict.announcement;
  render(saved.model);
}
send({ type: 'ready' });
