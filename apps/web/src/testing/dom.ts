// Finds an element a test relies on, failing with the selector when it is missing.
export function required<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`no element matches ${selector}`);
  return element;
}
