import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';

/** The part of yauzl (the zip reader vsce uses) these tests need; it ships no types. */
interface ZipEntry { fileName: string }
interface ZipFile {
  readEntry(): void;
  openReadStream(entry: ZipEntry, cb: (err: Error | null, stream: Readable) => void): void;
  close(): void;
  on(event: 'entry', cb: (entry: ZipEntry) => void): this;
  on(event: 'end', cb: () => void): this;
  on(event: 'error', cb: (err: Error) => void): this;
}
const yauzl = createRequire(__filename)('yauzl') as {
  open(path: string, options: { lazyEntries: boolean }, cb: (err: Error | null, zip: ZipFile) => void): void;
};

/** Every file of a zip archive (a .vsix) by its path inside the archive. */
export function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const files = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(files));
      zip.on('entry', (entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
