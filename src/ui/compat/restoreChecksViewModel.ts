import type { Lang } from '../../common/localizedText';
import type { CompatStrings } from './compatStrings';
import type { RestoreChecksRun } from './restoreChecksRun';
import type { RestoreCheckView, RestoreChecksView } from './compatViewModel';

/** The restore checks as the page shows them: a summary in one sentence and one item per check (pure). */
export function buildRestoreChecksView(run: RestoreChecksRun, lang: Lang, strings: CompatStrings): RestoreChecksView {
  if (run.state === 'running') {
    return { heading: strings.restoreChecksHeading, state: 'running', tone: 'unknown', summary: strings.restoreChecksRunning, items: [], verifyAction: null };
  }
  const verifyAction = { label: strings.verifyBackupButton, description: strings.verifyBackupButtonDescription };
  if (run.state === 'stopped') {
    return { heading: strings.restoreChecksHeading, state: 'done', tone: 'unknown', summary: strings.restoreChecksStopped(run.reason), items: [], verifyAction };
  }
  const { checks } = run.result;
  const items = checks.map(
    (c): RestoreCheckView => ({
      id: c.id,
      status: c.status,
      statusText: strings.checkStatus[c.status],
      title: c.title[lang],
      sentence: c.sentence[lang],
      action: c.action ? c.action[lang] : null,
    }),
  );
  const failed = checks.filter((c) => c.status === 'fail').length;
  const open = checks.filter((c) => c.status === 'unknown').length;
  const [tone, summary] =
    failed > 0
      ? (['no', strings.restoreChecksBlocked(failed)] as const)
      : open > 0
        ? (['unknown', strings.restoreChecksOpen(open)] as const)
        : (['yes', strings.restoreChecksClear] as const);
  return { heading: strings.restoreChecksHeading, state: 'done', tone, summary, items, verifyAction };
}
