import type { Action } from '../compat/rulesModel';
import type { LocalizedText } from '../common/localizedText';
import type { RestorePreflightResult } from './restorePreflight';

/** One thing to do on or for the device after a restore, with its sub-steps. */
export interface PostRestoreStep {
  text: LocalizedText;
  details: LocalizedText[];
}

/** What the restore did that changes the steps after it. */
export interface PostRestoreContext {
  /** The device was told to restart when done. */
  reboot: boolean;
  /** The backup was made on another device. */
  differentDevice: boolean;
  /** Apps left in RestoreApplications.plist for the device to download again. */
  appsToReinstall: number;
}

/**
 * The steps after a successful restore, in order: the restart, the rest of Setup Assistant as the
 * MDM vendor's procedure describes it (Wi-Fi, the Remote Management screen on a different device,
 * the Apple ID), app downloads, then what the compatibility report says must follow (kitting,
 * agent re-authentication, …) with the vendor's own steps.
 */
export function postRestoreSteps(preflight: RestorePreflightResult, context: PostRestoreContext): PostRestoreStep[] {
  const steps: PostRestoreStep[] = [];
  steps.push(
    context.reboot
      ? step('The device restarts to finish the restore; keep it connected and wait until it shows the setup screens again.', '端末は復元を完了するため再起動します。接続したまま、設定画面が表示されるまで待ってください。')
      : step(
          'The device was told not to restart: restart it yourself before using it, and before any further restore (a second restore without a restart fails with error 102).',
          '端末は再起動しない設定で復元しました。使用する前、また次の復元の前に必ず再起動してください（再起動せずに再度復元するとエラー102になります）。',
        ),
  );
  steps.push(step('On the device, go on with the setup and set up Wi-Fi.', '端末で初期設定を進め、Wi-Fiを設定します。'));
  if (context.differentDevice) {
    steps.push(
      step(
        'When the Remote Management screen appears, tap "Next" (it appears because the backup comes from another device).',
        'リモートマネージメントの画面が表示されたら「次へ」をタップします（別の端末のバックアップのため表示されます）。',
      ),
    );
  }
  steps.push(
    step(
      'When asked, enter the password of the Apple ID that was signed in on the backup device, and finish the setup until the Home screen appears.',
      'バックアップ端末でサインインしていたApple IDのパスワードを求められたら入力し、ホーム画面が表示されるまで初期設定を進めます。',
    ),
  );
  if (context.appsToReinstall > 0) {
    const n = context.appsToReinstall;
    steps.push(
      step(
        `The device downloads its ${n} ${n === 1 ? 'app' : 'apps'} again from the App Store; keep it on Wi-Fi and signed in (the app data comes from the backup).`,
        `端末は ${n} 個のAppをApp Storeから再ダウンロードします。Wi-Fiに接続しサインインしたままにしてください（Appのデータはバックアップから復元されます）。`,
      ),
    );
  }
  for (const action of preflight.report.postRestoreActions) steps.push(actionStep(action));
  return steps;
}

/** Renders the steps as numbered text lines in one language. */
export function formatPostRestoreSteps(steps: readonly PostRestoreStep[], lang: keyof LocalizedText): string[] {
  const lines: string[] = [];
  steps.forEach((s, i) => {
    lines.push(`  ${i + 1}. ${s.text[lang]}`);
    s.details.forEach((d, j) => lines.push(`     ${String.fromCharCode(97 + j)}. ${d[lang]}`));
  });
  return lines;
}

function step(en: string, ja: string, details: LocalizedText[] = []): PostRestoreStep {
  return { text: { en, ja }, details };
}

/** A compatibility-report action (kitting, agent re-authentication) with its explanation and the vendor's steps. */
function actionStep(action: Action): PostRestoreStep {
  const why = action.explanation;
  const text: LocalizedText = {
    en: why.length > 0 ? `${action.title.en}: ${why.map((t) => t.en).join(' ')}` : action.title.en,
    ja: why.length > 0 ? `${action.title.ja}：${why.map((t) => t.ja).join('')}` : action.title.ja,
  };
  const details = action.steps.map((s) => (s.note ? { en: `${s.text.en} (${s.note.en})`, ja: `${s.text.ja}（${s.note.ja}）` } : s.text));
  if (action.reference) details.push({ en: `See: ${action.reference.en}`, ja: `参照: ${action.reference.ja}` });
  return { text, details };
}
