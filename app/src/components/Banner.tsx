import type { ReactNode } from 'react';

/**
 * A page-wide message with the actions that resolve it. Errors are announced at once (role=alert);
 * notices wait their turn (role=status).
 */
export function Banner({
  tone,
  children,
  actions,
}: {
  tone: 'error' | 'notice';
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className={`banner banner-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <div className="banner-message">{children}</div>
      {actions !== undefined && <div className="banner-actions">{actions}</div>}
    </div>
  );
}
