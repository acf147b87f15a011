import { FACT_KEYS, type FactKey } from './facts';
import type { LocalizedText } from '../common/localizedText';

/** A fact the evaluator needs and does not have, phrased as a question for the engineer. */
export interface Question {
  fact: FactKey;
  text: LocalizedText;
  /** What the answer decides: "cell" (which table row applies) and/or precondition ids. */
  neededFor: string[];
}

/** The question asked for each unknown fact. */
export const QUESTION_TEXT: Readonly<Record<FactKey, LocalizedText>> = {
  'source.mdmEnrolledAtBackup': {
    en: 'Was the MDM installed (enrolled) on the device when the backup was made?',
    ja: 'バックアップ時、端末にMDMは導入（登録）されていましたか？',
  },
  'source.supervisedAtBackup': {
    en: 'Was the device supervised when the backup was made?',
    ja: 'バックアップ時、端末は監視対象でしたか？',
  },
  'source.udid': {
    en: 'What is the UDID of the device the backup was made on?',
    ja: 'バックアップ端末のUDIDは何ですか？',
  },
  'source.iosVersion': {
    en: 'Which iOS version was the backup device running when the backup was made?',
    ja: 'バックアップ時、バックアップ端末のiOSバージョンは何でしたか？',
  },
  'target.udid': {
    en: 'What is the UDID of the device to restore to?',
    ja: '復元先の端末のUDIDは何ですか？',
  },
  'target.supervised': {
    en: 'Is the device to restore to supervised?',
    ja: '復元先の端末は監視対象ですか？',
  },
  'target.iosVersion': {
    en: 'Which iOS version does the device to restore to run?',
    ja: '復元先の端末のiOSバージョンは何ですか？',
  },
  'target.adeRestoreFromBackupAllowed': {
    en: 'On the management site, is "Do not enable restore from backup" set to "No" in the ADE definition profile?',
    ja: '管理サイトの「ADE 定義プロファイル」設定で「バックアップからの復元を有効にしない」は「いいえ」になっていますか？',
  },
};

/** Collects which facts are missing for what, and lists them as questions in a stable order. */
export class QuestionCollector {
  private readonly needs = new Map<FactKey, string[]>();

  /** Records that the given facts are needed to decide `purpose`. */
  need(facts: readonly FactKey[], purpose: string): void {
    for (const fact of facts) {
      const purposes = this.needs.get(fact) ?? [];
      if (!purposes.includes(purpose)) purposes.push(purpose);
      this.needs.set(fact, purposes);
    }
  }

  /** The questions, source facts first, each listing what its answer decides. */
  questions(): Question[] {
    return FACT_KEYS.filter((fact) => this.needs.has(fact)).map((fact) => ({
      fact,
      text: QUESTION_TEXT[fact],
      neededFor: this.needs.get(fact) ?? [],
    }));
  }
}
