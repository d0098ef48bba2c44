import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';

/** A terminal that lives elsewhere (a shell session) and is shown in a box while a view is open. */
export interface AttachableTerminal {
  attach(element: HTMLElement): void;
  detach(element: HTMLElement): void;
  /** Fits the terminal to its box (columns and rows follow, and so does the pod's terminal size). */
  fit(): void;
}

export interface TerminalProps {
  terminal: AttachableTerminal;
  /** Names the terminal region for assistive technology. */
  label: string;
}

/**
 * Shows an xterm.js terminal that fills its box and refits when the box changes size. The terminal
 * is not created or destroyed here: leaving the view only takes it off screen.
 */
export function Terminal({ terminal, label }: TerminalProps) {
  const container = useRef<HTMLElement>(null);

  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    terminal.attach(element);
    let frame: number | undefined;
    const observer = new ResizeObserver(() => {
      frame ??= requestAnimationFrame(() => {
        frame = undefined;
        terminal.fit();
      });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      if (frame !== undefined) cancelAnimationFrame(frame);
      terminal.detach(element);
    };
  }, [terminal]);

  return <section ref={container} className="terminal-box" data-testid="terminal" aria-label={label} />;
}
