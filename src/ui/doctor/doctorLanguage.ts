import type { Lang } from '../../common/localizedText';

/** The knowledge base's language for the UI language (vscode.env.language): Japanese for ja*, English otherwise. */
export function doctorLanguage(locale: string): Lang {
  return locale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}
