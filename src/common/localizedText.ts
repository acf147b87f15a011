/** A user-visible text in both languages the product ships. */
export interface LocalizedText {
  en: string;
  ja: string;
}

/** A language the product's texts are written in. */
export type Lang = keyof LocalizedText;

/** The languages, in the order they are offered. */
export const LANGS: readonly Lang[] = ['en', 'ja'];
