/**
 * The app icon for every target, generated from the one drawing in `icon-art.ts` into
 * electron-builder's build-resources directory, where it looks for them by name:
 * `icons/<n>x<n>.png` (Linux: AppImage, deb, rpm), `icon.icns` (macOS), `icon.ico` (Windows, NSIS).
 * ICNS and ICO both hold PNG-compressed images, which macOS 10.7+ and Windows Vista+ read.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appIconLayers, rasterize } from '../electron-main/icons/icon-art.js';
import { encodePng } from '../electron-main/icons/png.js';

export const LINUX_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
/** ICO entries: Windows picks per DPI; 256 is the largest an ICO holds. */
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
/** ICNS types holding PNGs, with their pixel sizes (the @2x types double the point size). */
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['icp6', 64],
  ['ic12', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256],
  ['ic09', 512],
  ['ic14', 512],
  ['ic10', 1024],
] as const;

export function writeAppIcons(buildResources: string): void {
  const png = new Map<number, Buffer>();
  const pngOf = (size: number) => {
    let encoded = png.get(size);
    if (!encoded) {
      encoded = encodePng(rasterize(size, appIconLayers()));
      png.set(size, encoded);
    }
    return encoded;
  };
  mkdirSync(join(buildResources, 'icons'), { recursive: true });
  for (const size of LINUX_ICON_SIZES)
    writeFileSync(join(buildResources, 'icons', `${size}x${size}.png`), pngOf(size));
  writeFileSync(join(buildResources, 'icon.png'), pngOf(1024));
  writeFileSync(join(buildResources, 'icon.ico'), ico(ICO_SIZES.map((size) => [size, pngOf(size)])));
  writeFileSync(
    join(buildResources, 'icon.icns'),
    icns(ICNS_TYPES.map(([type, size]) => [type, pngOf(size)])),
  );
}

/** An ICO file: a directory of 16-byte entries, then the PNG images. */
export function ico(images: readonly (readonly [number, Buffer])[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(([size, data]) => {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size; // 0 means 256
    entry[1] = size >= 256 ? 0 : size;
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += data.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map(([, data]) => data)]);
}

/** An ICNS file: `icns` and the total length, then (type, length, PNG) elements. */
export function icns(images: readonly (readonly [string, Buffer])[]): Buffer {
  const elements = images.map(([type, data]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + elements.reduce((sum, each) => sum + each.length, 0), 4);
  return Buffer.concat([head, ...elements]);
}
