/**
 * The sentences that say how the doctor read a value (shown beside every finding, so an
 * interpretation such as "exit status 45 = −211 mod 256" is never silent).
 */
import type { LocalizedText } from '../common/localizedText';
import type { CodeDomain } from './knowledgeModel';
import type { ReadingRoute } from './failureReport';

/**
 * A code as users see it written, e.g. "MBErrorDomain/211" or "lockdownd −21". The domain is a string because a
 * parsed failure may name one the knowledge base does not know; each known CodeDomain gets its own wording.
 */
export function codeLabel(domain: string, code: number, libraryText?: string): LocalizedText {
  const suffix = libraryText ? ` "${libraryText}"` : '';
  switch (domain) {
    case 'MBErrorDomain':
      return same(`MBErrorDomain/${code}`);
    case 'lockdownd':
      return { en: `libimobiledevice lockdownd error ${code}${suffix}`, ja: `libimobiledevice の lockdownd エラー ${code}${suffix}` };
    case 'lockdownd-legacy':
      return { en: `lockdownd error ${code} in libimobiledevice 1.1.7 numbering`, ja: `libimobiledevice 1.1.7 の番号体系での lockdownd エラー ${code}` };
    case 'DLFileError':
      return { en: `per-file device error code ${code} (sent by the host)`, ja: `ファイルごとのデバイスエラーコード ${code}（ホストが送信）` };
    case 'mobilebackup2-client':
      return { en: `libimobiledevice mobilebackup2 error ${code}`, ja: `libimobiledevice の mobilebackup2 エラー ${code}` };
    case 'AFC':
      return { en: `AFC error ${code}`, ja: `AFC エラー ${code}` };
    case 'usbmuxd':
      return { en: `usbmuxd result ${code}`, ja: `usbmuxd の結果 ${code}` };
    case 'idevicebackup2-return':
      return { en: `idevicebackup2 return value ${code}`, ja: `idevicebackup2 の戻り値 ${code}` };
    default:
      return same(`${domain}/${code}`);
  }
}

/** How the value written in the text (`written`) became the code. */
export function readingExplanation(written: number, route: ReadingRoute, domain: CodeDomain, code: number, libraryText?: string): LocalizedText {
  const target = codeLabel(domain, code, libraryText);
  switch (route) {
    case 'exit-status': {
      const returned = written - 256;
      return {
        en: `Exit status ${written} read as idevicebackup2's return value ${returned} (the shell keeps it mod 256: 256 − ${-returned} = ${written}), i.e. ${target.en}.`,
        ja: `終了ステータス ${written} を idevicebackup2 の戻り値 ${returned} と読んだ（シェルは 256 の剰余を残す: 256 − ${-returned} = ${written}）。つまり ${target.ja}。`,
      };
    }
    case 'negated-return':
      return domain === 'MBErrorDomain'
        ? {
            en: `${written} read as idevicebackup2's return value, which is −ErrorCode: ${target.en}.`,
            ja: `${written} を idevicebackup2 の戻り値（−ErrorCode）と読んだ: ${target.ja}。`,
          }
        : { en: `${written} read as ${target.en}.`, ja: `${written} を ${target.ja} と読んだ。` };
    case 'library-text':
      return { en: `The wording is libimobiledevice's text for ${target.en}.`, ja: `この文言は libimobiledevice の ${target.ja} の表記。` };
    case 'as-written':
      return { en: `${written} read as ${target.en}.`, ja: `${written} を ${target.ja} と読んだ。` };
  }
}

/** Note: one code, several known meanings, and the text did not say which (those of the failed operation are listed when it is known). */
export function severalMeaningsNote(domain: CodeDomain, code: number, operation?: string): LocalizedText {
  const label = codeLabel(domain, code);
  if (operation) {
    return {
      en: `${label.en} has several known meanings and the text does not say which; those that fit a failed ${operation} are listed.`,
      ja: `${label.ja} には既知の意味が複数あり、文面からはどれか判断できないため、失敗した操作（${operation}）に当てはまるものを挙げる。`,
    };
  }
  return {
    en: `${label.en} has several known meanings and the text does not say which; all of them are listed.`,
    ja: `${label.ja} には既知の意味が複数あり、文面からはどれか判断できないため、すべて挙げる。`,
  };
}

/** Note: the number next to a lockdownd name is not the number current libimobiledevice uses for it. */
export function numberingNote(written: number, expected: number, name: string): LocalizedText {
  return {
    en: `The number ${written} differs from current libimobiledevice numbering (${expected} for "${name}"); the numbers changed between versions, so the wording decides.`,
    ja: `番号 ${written} は現在の libimobiledevice の番号（"${name}" は ${expected}）と異なる。番号は版によって変わったため、文言で判断する。`,
  };
}

/** Note: a code was parsed but the knowledge base has nothing for it; nothing is guessed. */
export function unknownNote(label: LocalizedText): LocalizedText {
  return {
    en: `${label.en} is not in the knowledge base: its meaning is unknown, and no explanation is guessed.`,
    ja: `${label.ja} は知識ベースにない。意味は不明で、推測による説明はしない。`,
  };
}

/** Note: exit status 0 is success. */
export function successExitNote(): LocalizedText {
  return { en: 'Exit status 0 means success: there is no failure to explain.', ja: '終了ステータス 0 は成功を意味する。説明すべき失敗はない。' };
}

/** Note: an exit status outside 0–255 cannot come from a shell. */
export function impossibleExitNote(status: number): LocalizedText {
  return {
    en: `${status} is not a possible exit status (0–255), so it was not read as one.`,
    ja: `${status} は終了ステータスとしてありえない値（0〜255 の範囲外）なので、終了ステータスとしては読んでいない。`,
  };
}

/** Note: an entry that only says its code is undocumented does not count as a recognised failure. */
export function undocumentedNote(): LocalizedText {
  return {
    en: 'The knowledge base lists this code only to say that no source documents it.',
    ja: '知識ベースには、どの資料にも記載がないことを示すためだけにこのコードが載っている。',
  };
}

function same(text: string): LocalizedText {
  return { en: text, ja: text };
}
