import type { PageMessage } from '../../../src/ui/compat/panelMessages';
import type { CompatViewModel, QuestionView } from '../../../src/ui/compat/compatViewModel';
import { h, section } from './dom';

/** Text typed into answer fields but not applied yet, kept across re-renders (a device event must not wipe it). */
export type Drafts = Map<string, string>;

/** The facts nobody could read, each with a way to answer it (or to change or withdraw an answer). */
export function renderQuestions(model: CompatViewModel, send: (message: PageMessage) => void, drafts: Drafts): HTMLElement {
  const text = model.text;
  return section(
    'questions',
    text.questionsHeading,
    model.questions.length === 0
      ? h('p', { class: 'empty' }, text.noQuestions)
      : h('p', { class: 'intro' }, text.questionsIntro),
    model.questions.length > 0 && h('ul', { class: 'question-list' }, ...model.questions.map((q) => question(q, model, send, drafts))),
  );
}

function question(q: QuestionView, model: CompatViewModel, send: (message: PageMessage) => void, drafts: Drafts): HTMLElement {
  const textId = `${q.id}-text`;
  const hintId = `${q.id}-hint`;
  const errorId = `${q.id}-error`;
  const describedBy = [q.hint && hintId, q.error && errorId].filter(Boolean).join(' ');
  const input = q.kind === 'boolean' ? yesNo(q, model, send, textId, describedBy) : typed(q, model, send, drafts, describedBy);
  const clear = q.answer !== null && h('vscode-button', { id: `${q.id}-clear`, secondary: true }, model.text.clearAnswer);
  if (clear) clear.addEventListener('click', () => send({ type: 'answer', fact: q.fact, value: null }));
  return h(
    'li',
    { class: q.answer === null ? 'question' : 'question answered', 'data-fact': q.fact },
    h('p', { class: 'question-text', id: textId }, q.text),
    q.hint && h('p', { class: 'hint', id: hintId }, q.hint),
    q.neededFor && h('p', { class: 'needed' }, q.neededFor),
    h('div', { class: 'answer' }, input, clear),
    q.error && h('p', { class: 'error', id: errorId, role: 'alert' }, q.error),
  );
}

function yesNo(q: QuestionView, model: CompatViewModel, send: (message: PageMessage) => void, labelledBy: string, describedBy: string): HTMLElement {
  const group = h('vscode-radio-group', { id: `${q.id}-group`, 'aria-labelledby': labelledBy, 'aria-describedby': describedBy || undefined });
  for (const [value, label] of [[true, model.text.yes], [false, model.text.no]] as const) {
    const radio = h('vscode-radio', { id: `${q.id}-${value ? 'yes' : 'no'}`, name: q.id, value: String(value), label, checked: q.answer === value });
    radio.addEventListener('change', () => {
      if ((radio as HTMLElement & { checked: boolean }).checked) send({ type: 'answer', fact: q.fact, value });
    });
    group.appendChild(radio);
  }
  return group;
}

function typed(q: QuestionView, model: CompatViewModel, send: (message: PageMessage) => void, drafts: Drafts, describedBy: string): HTMLElement {
  const field = h('vscode-textfield', {
    id: `${q.id}-input`,
    label: q.text,
    invalid: q.error !== null,
    'aria-describedby': describedBy || undefined,
  }) as HTMLElement & { value: string };
  // A draft the host accepted is now the answer; a refused one stays in the field next to its error.
  if (q.error === null && drafts.get(q.fact)?.trim() === q.answer) drafts.delete(q.fact);
  field.value = drafts.get(q.fact) ?? (typeof q.answer === 'string' ? q.answer : '');
  const apply = (): void => {
    drafts.set(q.fact, field.value);
    send({ type: 'answer', fact: q.fact, value: field.value });
  };
  field.addEventListener('input', () => drafts.set(q.fact, field.value));
  field.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') apply();
  });
  const button = h('vscode-button', { id: `${q.id}-apply` }, model.text.apply);
  button.addEventListener('click', apply);
  return h('span', { class: 'typed' }, field, button);
}
