/**
 * A box that scrolls must be reachable from the keyboard (WCAG 2.1.1): while its content
 * overflows it takes part in the tab order, as a named region, so arrow keys scroll it;
 * once everything fits it is left out again (no empty tab stops).
 */
export function scrollRegion(node: HTMLElement, label: string) {
  let name = label;
  const update = () => {
    const scrolls = node.scrollHeight > node.clientHeight || node.scrollWidth > node.clientWidth;
    if (scrolls) {
      node.tabIndex = 0;
      node.setAttribute('role', 'region');
      node.setAttribute('aria-label', name);
    } else {
      for (const attribute of ['tabindex', 'role', 'aria-label']) node.removeAttribute(attribute);
    }
  };
  // The box itself and what it holds: a box with a fixed maximum height does not grow with its rows.
  const sizes = new ResizeObserver(update);
  sizes.observe(node);
  for (const child of node.children) sizes.observe(child);
  update();
  return {
    update(next: string) {
      name = next;
      update();
    },
    destroy: () => sizes.disconnect(),
  };
}
