import type { PageMessage, PageState } from '../../../src/ui/compat/panelMessages';

/** The API VS Code gives a webview page; acquireVsCodeApi may be called only once per page load. */
export interface VsCodeApi {
  postMessage(message: PageMessage): void;
  getState(): PageState | undefined;
  setState(state: PageState): PageState;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The page's one handle on the host. */
export const vscodeApi: VsCodeApi = acquireVsCodeApi();
