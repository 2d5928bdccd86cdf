// Writing a cache file so that a concurrent reader never sees half of it: a temp file beside it, then a rename.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `data` to `file` through `<file>.<pid>.<random>.tmp` and a rename, creating the folder. Never throws: on
 * any error the temp file is removed and false is returned (a cache that could not be written is only a miss later).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, file);
    return true;
  } catch {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // nothing more to do
    }
    return false;
  }
}
