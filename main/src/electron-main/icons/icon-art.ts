/**
 * Switchboard's icon, drawn in code: the one source of the app icon at every size (Linux PNGs,
 * macOS icns, Windows ico: `main/src/packaging/app-icons.ts`) and of the tray icon in each state
 * (`tray-icon.ts`). The art is a switchboard's two columns of jacks with one patch cable across,
 * on a rounded square; shapes are signed distance functions in a unit square, rendered with 4×4
 * supersampling so small sizes stay crisp and large ones smooth.
 */
import type { Bitmap } from './png.js';

/** Red, green, blue 0–255, alpha 0–1. */
export type Colour = readonly [number, number, number, number];

/** Signed distance from a point of the unit square: negative inside. */
export type Shape = (x: number, y: number) => number;

export interface Layer {
  shape: Shape;
  colour: Colour;
  /** `clear` erases what is beneath (a badge's margin on a template image). */
  mode?: 'over' | 'clear';
}

export const circle =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    Math.hypot(x - cx, y - cy) - r;

export const ring =
  (cx: number, cy: number, r: number, thickness: number): Shape =>
  (x, y) =>
    Math.abs(Math.hypot(x - cx, y - cy) - r) - thickness / 2;

export const roundedSquare =
  (inset: number, radius: number): Shape =>
  (x, y) => {
    const half = 0.5 - inset - radius;
    const dx = Math.max(Math.abs(x - 0.5) - half, 0);
    const dy = Math.max(Math.abs(y - 0.5) - half, 0);
    return Math.hypot(dx, dy) - radius;
  };

export const segment =
  (ax: number, ay: number, bx: number, by: number, thickness: number): Shape =>
  (x, y) => {
    const [px, py, vx, vy] = [x - ax, y - ay, bx - ax, by - ay];
    const t = Math.min(1, Math.max(0, (px * vx + py * vy) / (vx * vx + vy * vy)));
    return Math.hypot(px - vx * t, py - vy * t) - thickness / 2;
  };

export const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    Math.min(...shapes.map((shape) => shape(x, y)));

/** The jacks and the cable, in the unit square. */
export function glyph(scale = 1): Shape {
  const at = (v: number) => 0.5 + (v - 0.5) * scale;
  const jack = 0.085 * scale;
  const jacks = [0.3, 0.5, 0.7].flatMap((y) => [circle(at(0.3), at(y), jack), circle(at(0.7), at(y), jack)]);
  return union(...jacks, segment(at(0.3), at(0.7), at(0.7), at(0.3), 0.08 * scale));
}

export const BRAND_BLUE: Colour = [43, 95, 217, 1];
export const WHITE: Colour = [255, 255, 255, 1];

/** The application icon's layers. */
export function appIconLayers(): Layer[] {
  return [
    { shape: roundedSquare(0.06, 0.18), colour: BRAND_BLUE },
    { shape: glyph(0.92), colour: WHITE },
  ];
}

const SUBSAMPLES = 4;

export function rasterize(size: number, layers: readonly Layer[]): Bitmap {
  const rgba = new Uint8Array(size * size * 4);
  const pixel = new Float64Array(4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      pixel.fill(0); // premultiplied r, g, b, a
      for (const layer of layers) {
        let covered = 0;
        for (let sy = 0; sy < SUBSAMPLES; sy++) {
          for (let sx = 0; sx < SUBSAMPLES; sx++) {
            const x = (px + (sx + 0.5) / SUBSAMPLES) / size;
            const y = (py + (sy + 0.5) / SUBSAMPLES) / size;
            if (layer.shape(x, y) <= 0) covered++;
          }
        }
        if (covered === 0) continue;
        const coverage = covered / SUBSAMPLES ** 2;
        if (layer.mode === 'clear') {
          for (let c = 0; c < 4; c++) pixel[c]! *= 1 - coverage;
          continue;
        }
        const alpha = layer.colour[3] * coverage;
        for (let c = 0; c < 3; c++) pixel[c] = layer.colour[c]! * alpha + pixel[c]! * (1 - alpha);
        pixel[3] = alpha + pixel[3]! * (1 - alpha);
      }
      const offset = (py * size + px) * 4;
      const a = pixel[3]!;
      for (let c = 0; c < 3; c++) rgba[offset + c] = a > 0 ? Math.round(pixel[c]! / a) : 0;
      rgba[offset + 3] = Math.round(a * 255);
    }
  }
  return { width: size, height: size, rgba };
}
