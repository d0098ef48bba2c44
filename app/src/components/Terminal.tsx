import '@xterm/xterm/css/xterm.css';
import { FitAddon } from '@xterm/addon-fit';
import { type ITheme, Terminal as XTerm } from '@xterm/xterm';
import { type Ref, useEffect, useImperativeHandle, useRef } from 'react';
import type { TerminalIo } from '../state/use-exec';

export interface TerminalHandle extends TerminalIo {
  focus(): void;
}

export interface TerminalProps {
  ref: Ref<TerminalHandle>;
  /** Names the terminal region for assistive technology. */
  label: string;
  onData(data: string): void;
  onResize(columns: number, rows: number): void;
}

const LIGHT: ITheme = {
  background: '#ffffff',
  foreground: '#1f2328',
  cursor: '#1f2328',
  selectionBackground: '#b6d4fe',
};
const DARK: ITheme = {
  background: '#0d1117',
  foreground: '#e6edf3',
  cursor: '#e6edf3',
  selectionBackground: '#264f78',
};
const DARK_SCHEME = '(prefers-color-scheme: dark)';

/**
 * An xterm.js terminal that fills its box (addon-fit, refitted when the box changes size) and
 * follows the OS light/dark setting. Keystrokes and size changes go out through the callbacks.
 */
export function Terminal({ ref, label, onData, onResize }: TerminalProps) {
  const container = useRef<HTMLDivElement>(null);
  const terminal = useRef<XTerm | undefined>(undefined);
  // The latest callbacks, so the terminal is created once and not on every render.
  const callbacks = useRef({ onData, onResize });
  callbacks.current = { onData, onResize };

  useImperativeHandle(
    ref,
    () => ({
      write: (text) => terminal.current?.write(text),
      size: () => ({ columns: terminal.current?.cols ?? 80, rows: terminal.current?.rows ?? 24 }),
      focus: () => terminal.current?.focus(),
    }),
    [],
  );

  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    const darkScheme = window.matchMedia(DARK_SCHEME);
    const xterm = new XTerm({
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: darkScheme.matches ? DARK : LIGHT,
    });
    const fit = new FitAddon();
    xterm.loadAddon(fit);
    xterm.open(element);
    fit.fit();
    terminal.current = xterm;

    const dataSubscription = xterm.onData((data) => callbacks.current.onData(data));
    const resizeSubscription = xterm.onResize(({ cols, rows }) => callbacks.current.onResize(cols, rows));
    let frame: number | undefined;
    const observer = new ResizeObserver(() => {
      frame ??= requestAnimationFrame(() => {
        frame = undefined;
        fit.fit();
      });
    });
    observer.observe(element);
    const followScheme = (event: MediaQueryListEvent) => {
      xterm.options.theme = event.matches ? DARK : LIGHT;
    };
    darkScheme.addEventListener('change', followScheme);
    xterm.focus();

    return () => {
      darkScheme.removeEventListener('change', followScheme);
      observer.disconnect();
      if (frame !== undefined) cancelAnimationFrame(frame);
      dataSubscription.dispose();
      resizeSubscription.dispose();
      terminal.current = undefined;
      xterm.dispose();
    };
  }, []);

  return <section ref={container} className="terminal-box" data-testid="terminal" aria-label={label} />;
}
