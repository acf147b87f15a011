/**
 * The DOM members that the E2E tests' page functions read (Playwright runs them in the browser). The tests are
 * compiled without the DOM library, because they run in Node, so each page function names the element shape it
 * uses instead of leaving its elements untyped.
 */
export interface PageElement {
  readonly textContent: string | null;
  readonly style: { readonly top: string };
  getAttribute(name: string): string | null;
}
