import type { AnchorHTMLAttributes, Ref } from 'react';
import { href } from './location.ts';

export interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  /** An app path such as "/accounts/acc_1". */
  to: string;
  ref?: Ref<HTMLAnchorElement>;
}

/** A real link (so it can be opened, focused and read as a link) to an in-app path. */
export function Link({ to, ...rest }: LinkProps) {
  return <a {...rest} href={href(to)} />;
}
