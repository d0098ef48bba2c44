/**
 * Quitting (or restarting to install an update) stops the local proxy, which cuts every kubectl
 * session running through it: a watch, `logs -f`, a shell, a port-forward. When some run, the app
 * asks first, as terminals and IDEs do before closing running sessions. Pure: the dialog's content
 * for a session count, or nothing to ask.
 */
export interface QuitQuestion {
  message: string;
  detail: string;
  buttons: [confirm: string, cancel: string];
  defaultId: 1;
  cancelId: 1;
}

export function quitQuestion(sessions: number, reason: 'quit' | 'install-update'): QuitQuestion | undefined {
  if (sessions <= 0) return undefined;
  const running = sessions === 1 ? '1 kubectl session is' : `${sessions} kubectl sessions are`;
  return {
    message: `${running} running through Switchboard`,
    detail:
      reason === 'quit'
        ? 'Quitting stops the local proxy and ends them (watches, logs, shells, port-forwards).'
        : 'Installing the update restarts Switchboard, which stops the local proxy and ends them; it also installs by itself the next time you quit.',
    buttons: [reason === 'quit' ? 'Quit anyway' : 'Restart and install', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
  };
}
