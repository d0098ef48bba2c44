/**
 * Start at login. macOS and Windows have it in Electron (`app.setLoginItemSettings`); on Linux it
 * is an XDG autostart entry, `~/.config/autostart/switchboard.desktop`, which GNOME, KDE, Xfce
 * and the other desktops read. Started at login, the app opens in the tray only (`--hidden`).
 */
import { mkdir, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/files/atomic-write.js';

export const HIDDEN_ARGUMENT = '--hidden';

export function linuxAutostartPath(env: NodeJS.ProcessEnv = process.env): string {
  const configHome = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(configHome, 'autostart', 'switchboard.desktop');
}

/** The desktop entry; an AppImage is started through its own path (`APPIMAGE`), not the mounted binary. */
export function linuxAutostartEntry(executable: string): string {
  const quoted = /[\s"'\\$`]/.test(executable) ? `"${executable.replace(/(["\\$`])/g, '\\$1')}"` : executable;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Switchboard',
    'Comment=Reach Kubernetes clusters behind firewalls',
    `Exec=${quoted} ${HIDDEN_ARGUMENT}`,
    'Icon=switchboard',
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}

export async function setLinuxAutostart(
  enabled: boolean,
  executable: string,
  path = linuxAutostartPath(),
): Promise<void> {
  if (!enabled) {
    await rm(path, { force: true });
    return;
  }
  await mkdir(join(path, '..'), { recursive: true });
  await writeFileAtomic(path, linuxAutostartEntry(executable), 0o644);
}
