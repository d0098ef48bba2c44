/**
 * The tray icon as a pure function of the app's state: which of four states it shows, its tooltip,
 * and the PNG images for the platform (Electron-free, so every state is unit-tested).
 * - macOS: template images (black and alpha; the menu bar tints them), 16 pt at @1x and @2x; the
 *   state is told by shape, since template images have no colour.
 * - Windows: 16 px at 100 % and 32 px at 200 % scaling; Linux: 24 px and 48 px (the usual panel
 *   sizes); both in colour, with an amber or red badge and a grey square when the proxy is off.
 */
import type { AppClusterView, AppState } from '@switchboard/contract/app';
import {
  appIconLayers,
  BRAND_BLUE,
  type Colour,
  circle,
  glyph,
  type Layer,
  rasterize,
  ring,
  WHITE,
} from './icons/icon-art.js';
import { encodePng } from './icons/png.js';

export type TrayIconState = 'connected' | 'some-offline' | 'sign-in-needed' | 'proxy-off';

/** A cluster kubectl cannot reach now (its agent is away, never joined, or its credential expired). */
const isDown = (cluster: AppClusterView) =>
  cluster.presence === 'offline' || cluster.presence === 'not-joined' || cluster.presence === 'expired';

/** Most urgent first: without a sign-in nothing works; without the proxy kubectl cannot connect. */
export function trayIconState(state: AppState): TrayIconState {
  if (state.signIn !== 'signed-in' || state.reach.state === 'sign-in-expired') return 'sign-in-needed';
  if (!state.proxy.enabled || state.proxy.state === 'off' || state.proxy.state === 'error')
    return 'proxy-off';
  // While the status stream reconnects, no cluster's status is known to be current.
  if (state.clusters.some(isDown) || state.reach.state !== 'live') return 'some-offline';
  return 'connected';
}

export function trayTooltip(state: AppState): string {
  const iconState = trayIconState(state);
  if (iconState === 'sign-in-needed') {
    return state.signIn === 'sign-in-required' || state.reach.state === 'sign-in-expired'
      ? 'Switchboard: sign-in expired'
      : 'Switchboard: not signed in';
  }
  if (iconState === 'proxy-off') {
    return state.proxy.state === 'error' ? 'Switchboard: local proxy failed' : 'Switchboard: local proxy off';
  }
  const offline = state.clusters.filter(isDown);
  if (iconState === 'some-offline') {
    if (state.reach.state === 'relay-unreachable')
      return 'Switchboard: relay unreachable, kubectl requests fail';
    return offline.length > 0
      ? `Switchboard: ${offline.length} of ${state.clusters.length} clusters offline`
      : 'Switchboard: reconnecting to the relay';
  }
  return `Switchboard: ${state.clusters.length === 1 ? '1 cluster' : `${state.clusters.length} clusters`} connected`;
}

export interface TrayImageRepresentation {
  scaleFactor: number;
  size: number;
  png: Buffer;
}

export interface TrayImage {
  /** macOS: let the menu bar tint it for light and dark. */
  template: boolean;
  representations: TrayImageRepresentation[];
}

const AMBER: Colour = [232, 163, 23, 1];
const RED: Colour = [217, 48, 37, 1];
const GREY: Colour = [128, 134, 145, 1];
const BLACK: Colour = [0, 0, 0, 1];
const FAINT_BLACK: Colour = [0, 0, 0, 0.4];

const BADGE = { cx: 0.77, cy: 0.77, r: 0.22 };

export function trayImage(iconState: TrayIconState, platform: NodeJS.Platform): TrayImage {
  const template = platform === 'darwin';
  const baseSize = platform === 'linux' ? 24 : 16;
  const layers = template ? templateLayers(iconState) : colourLayers(iconState);
  return {
    template,
    representations: [1, 2].map((scaleFactor) => {
      const size = baseSize * scaleFactor;
      return { scaleFactor, size, png: encodePng(rasterize(size, layers)) };
    }),
  };
}

function colourLayers(iconState: TrayIconState): Layer[] {
  const [square, mark] = appIconLayers() as [Layer, Layer];
  const base: Layer[] = [{ ...square, colour: iconState === 'proxy-off' ? GREY : BRAND_BLUE }, mark];
  const badge = iconState === 'some-offline' ? AMBER : iconState === 'sign-in-needed' ? RED : undefined;
  if (!badge) return base;
  return [
    ...base,
    { shape: circle(BADGE.cx, BADGE.cy, BADGE.r + 0.06), colour: WHITE },
    { shape: circle(BADGE.cx, BADGE.cy, BADGE.r), colour: badge },
  ];
}

function templateLayers(iconState: TrayIconState): Layer[] {
  const mark: Layer = { shape: glyph(1.1), colour: iconState === 'proxy-off' ? FAINT_BLACK : BLACK };
  const outline: Layer = { shape: ring(0.5, 0.5, 0.46, 0.07), colour: mark.colour };
  if (iconState === 'connected' || iconState === 'proxy-off') return [outline, mark];
  const cutOut: Layer = { shape: circle(BADGE.cx, BADGE.cy, BADGE.r + 0.08), colour: BLACK, mode: 'clear' };
  const badge: Layer =
    iconState === 'sign-in-needed'
      ? { shape: circle(BADGE.cx, BADGE.cy, BADGE.r), colour: BLACK }
      : { shape: ring(BADGE.cx, BADGE.cy, BADGE.r - 0.04, 0.08), colour: BLACK };
  return [outline, mark, cutOut, badge];
}
