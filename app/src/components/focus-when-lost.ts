/**
 * A ref callback that focuses its element when it appears while nothing has focus: the button a
 * keyboard user pressed (Sign in, Cancel) went away with the view it was on, and the browser dropped
 * focus to the page, so the next Tab would start from the top. Focus placed elsewhere is left alone.
 * A module-level function, so React calls it only when the element mounts.
 */
export function focusWhenLost(element: HTMLElement | null): void {
  if (element === null) return;
  const active = document.activeElement;
  if (active === null || active === document.body) element.focus();
}
