import { type ReactNode, useEffect, useId, useRef } from 'react';

export interface ConfirmDialogProps {
  title: string;
  /** What will happen, in words that name the object (shown as the dialog's description). */
  children: ReactNode;
  confirmLabel: string;
  /** The dismiss button's label ("Close" once there is nothing left to cancel). */
  cancelLabel?: string;
  /** Styles the confirm button as destructive. */
  danger?: boolean;
  pending?: boolean;
  /** Disables only the confirm button (what it confirms is still loading). */
  confirmDisabled?: boolean;
  /** Why the last attempt failed, shown inside the dialog. */
  error?: string | undefined;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * A modal confirmation: the native <dialog> opened with showModal(), so the rest of the page is inert
 * (focus stays inside), Escape cancels, and focus returns to where it was when the dialog closes.
 * Render it only while it should be open.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const {
    title,
    children,
    confirmLabel,
    cancelLabel = 'Cancel',
    danger = false,
    pending = false,
    confirmDisabled = false,
    error,
    onConfirm,
    onCancel,
  } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    element.showModal();
    return () => element.close();
  }, []);

  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onCancel={(event) => {
        // The parent decides when the dialog goes away (it unmounts it).
        event.preventDefault();
        if (!pending) onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div id={descriptionId} className="confirm-dialog-description">
        {children}
      </div>
      {error !== undefined && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel} disabled={pending}>
          {cancelLabel}
        </button>
        <button
          type="button"
          className={danger ? 'button-danger' : 'button-primary'}
          onClick={onConfirm}
          disabled={pending || confirmDisabled}
        >
          {pending ? `${confirmLabel}…` : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
