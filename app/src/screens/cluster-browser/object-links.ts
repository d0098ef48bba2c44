import type { ObjectLink } from '@switchboard/contract/app';

export function linkLabel(link: ObjectLink): string {
  return `${link.kindName} ${link.name}`;
}
