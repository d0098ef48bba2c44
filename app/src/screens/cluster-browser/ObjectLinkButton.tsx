import type { ObjectLink } from '@switchboard/contract/app';
import { browsableKindOf, linkLabel } from './object-links';

/** An owner or an owned pod: a link-styled button that opens it in the browser, or its name when it cannot be browsed. */
export function ObjectLinkButton({ link, onOpen }: { link: ObjectLink; onOpen(link: ObjectLink): void }) {
  if (browsableKindOf(link) === undefined) return <span className="object-link-text">{linkLabel(link)}</span>;
  return (
    <button type="button" className="link-button" onClick={() => onOpen(link)}>
      {linkLabel(link)}
    </button>
  );
}
