import type { VerdictView } from '../../../src/ui/compat/compatViewModel';
import { h, section } from './dom';

/** The verdict in words, the case that applies, what the restore leaves behind, and why it is no or open. */
export function renderVerdict(heading: string, verdict: VerdictView): HTMLElement {
  const element = section(
    'verdict',
    heading,
    h(
      'p',
      { class: 'headline', id: 'verdict-headline' },
      // The symbol repeats the headline for sighted readers who know the vendor's table; screen readers skip it.
      h('span', { class: 'symbol', 'aria-hidden': 'true' }, verdict.symbol),
      h('strong', {}, verdict.headline),
    ),
    h('dl', { class: 'details' }, ...verdict.details.flatMap((d) => [h('dt', {}, d.label), h('dd', {}, d.value)])),
    verdict.reasons.length > 0 && h('ul', { class: 'reasons' }, ...verdict.reasons.map((r) => h('li', {}, r))),
  );
  element.classList.add('verdict', `tone-${verdict.tone}`);
  element.dataset.tone = verdict.tone;
  return element;
}
