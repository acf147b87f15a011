/** Something that can go inside an element; false/null/undefined are skipped so conditionals read naturally. */
export type Child = Node | string | number | null | undefined | false;

/** Attribute values: true sets an empty attribute, false/null/undefined leave it out. */
export type Attrs = Record<string, string | number | boolean | null | undefined>;

/**
 * Creates an element with attributes and children. Text always goes in as text nodes, never as HTML, so
 * nothing the host sends (device names, folder paths) can inject markup.
 */
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Appends children (see Child) to a node. */
export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** A section with a heading that labels it, so screen readers list it as a landmark by name. */
export function section(id: string, heading: string, ...children: Child[]): HTMLElement {
  return h('section', { id, 'aria-labelledby': `${id}-heading` }, h('h2', { id: `${id}-heading` }, heading), ...children);
}
