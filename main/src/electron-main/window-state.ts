/**
 * Where the window opens: where it was last (size, position, maximized), unless that place is no
 * longer on any screen (a monitor was unplugged), as VS Code and Slack do. Pure, for unit tests.
 */
import type { WindowBounds } from './desktop-settings.js';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_SIZE = { width: 1200, height: 800 } as const;
/** The app is usable down to this size (checked at 800×600). */
export const MINIMUM_WINDOW_SIZE = { width: 800, height: 600 } as const;
/** How much of the title bar must be on a screen for the saved place to count as visible. */
const VISIBLE_MARGIN = { width: 120, height: 40 } as const;

/** The BrowserWindow bounds to open with: the saved ones when visible, else the default size (centred). */
export function initialWindowBounds(
  saved: WindowBounds | undefined,
  workAreas: readonly Rectangle[],
): { bounds: Partial<Rectangle> & { width: number; height: number }; maximized: boolean } {
  if (!saved) return { bounds: { ...DEFAULT_WINDOW_SIZE }, maximized: false };
  const width = Math.max(saved.width, MINIMUM_WINDOW_SIZE.width);
  const height = Math.max(saved.height, MINIMUM_WINDOW_SIZE.height);
  const titleBar = { x: saved.x, y: saved.y, width, height: VISIBLE_MARGIN.height };
  const visible = workAreas.some((area) => {
    const overlapWidth =
      Math.min(titleBar.x + titleBar.width, area.x + area.width) - Math.max(titleBar.x, area.x);
    const overlapHeight =
      Math.min(titleBar.y + titleBar.height, area.y + area.height) - Math.max(titleBar.y, area.y);
    return overlapWidth >= VISIBLE_MARGIN.width && overlapHeight >= VISIBLE_MARGIN.height / 2;
  });
  return visible
    ? { bounds: { x: saved.x, y: saved.y, width, height }, maximized: saved.maximized }
    : { bounds: { width, height }, maximized: saved.maximized };
}
