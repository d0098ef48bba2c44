import type { ObjectLink } from '@switchboard/contract/app';
import { linkLabel } from './object-links';

/** An owner or an owned pod: a link-styled button that opens it in the browser (every kind is browsable). */
export function ObjectLinkButton({ link, onOpen }: { link: ObjectLink; onOpen(link: ObjectLink): void }) {
  return (
    <button type="button" className="link-button" onClick={() => onOpen(link)}>
      {linkLabel(link)}
    </button>
  );
}
