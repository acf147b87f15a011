import type { Lang } from '../../common/localizedText';

/** The language of the texts the core keeps in both languages, for the UI language (vscode.env.language): Japanese for ja*, English otherwise. */
export function uiLanguage(locale: string): Lang {
  return locale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}
