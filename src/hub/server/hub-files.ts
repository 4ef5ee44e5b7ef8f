/** The files a running embedded hub keeps beside its data: where it listens, and its local admin secret. */
import { join } from 'node:path';

export function hubFiles(dir: string) {
  return { info: join(dir, 'hub.json'), secret: join(dir, 'hub.secret') };
}
