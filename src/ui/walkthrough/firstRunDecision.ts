/** What the extension does about the Getting Started walkthrough when it activates. */
export type FirstRunDecision =
  /** Open it now (and remember that it was offered). */
  | 'open'
  /** It was opened once already; a person who closed it can find it again under Welcome › Walkthroughs. */
  | 'alreadyOffered'
  /** VS Code's own "open walkthroughs on install" setting is off: the person asked for no walkthrough to open by itself. */
  | 'turnedOffBySetting';

/** What the decision rests on, read by the caller from the extension's global state and VS Code's settings. */
export interface FirstRunFacts {
  /** The global state records that the walkthrough was opened before. */
  offeredBefore: boolean;
  /** The value of `workbench.welcomePage.walkthroughs.openOnInstall`, as read (undefined when nothing sets it). */
  openOnInstall: unknown;
}

/**
 * Whether to open the walkthrough by itself. Only an explicit `false` turns it off: VS Code's default is `true`, and
 * a malformed value is not read as the person's wish to be left alone.
 */
export function decideFirstRun(facts: FirstRunFacts): FirstRunDecision {
  if (facts.offeredBefore) return 'alreadyOffered';
  if (facts.openOnInstall === false) return 'turnedOffBySetting';
  return 'open';
}
