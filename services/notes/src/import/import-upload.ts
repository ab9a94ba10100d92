import { AppError } from '@notes/kit';
import busboy from 'busboy';
import type { Request } from 'express';

/** One uploaded file: its bytes, or `tooLarge` when a note file passed the one-file limit. */
export interface UploadedFile {
  name: string;
  data: Buffer;
  tooLarge: boolean;
}

export interface Upload {
  fields: Record<string, string>;
  files: UploadedFile[];
}

export interface UploadLimits {
  /** Everything one request may send. */
  maxBytes: number;
  /** One note file (.md); a zip may take all of maxBytes. */
  maxFileBytes: number;
  /** Files in one request. */
  maxFiles: number;
}

/** Room for the multipart boundaries, headers and the form token around the files. */
const FORM_OVERHEAD = 64 * 1024;

const isZip = (name: string) => /\.zip$/i.test(name);

/** A size as people read it: "20 MiB", "64 KiB". */
export function describeSize(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${+(bytes / 1024 / 1024).toFixed(1)} MiB`
    : `${+(bytes / 1024).toFixed(1)} KiB`;
}
const mib = describeSize;

/** A request refused whole: nothing of it is imported. */
const refused = (message: string) => new AppError('too_large', `files: ${message}`, { field: 'files' });

/**
 * Reads a multipart/form-data import (DESIGN 4.7) as it streams in (busboy), within its limits:
 * more than `maxBytes` in all or more than `maxFiles` files refuses the whole request (413, and
 * the rest is not stored); a note file over `maxFileBytes` is kept as `tooLarge` (it alone fails).
 * Files are held in memory, so an import costs at most `maxBytes` of it.
 */
export function readUpload(req: Request, limits: UploadLimits): Promise<Upload> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limits.maxBytes + FORM_OVERHEAD)
    return Promise.reject(
      refused(`an import may send at most ${mib(limits.maxBytes)}; send fewer files at a time`),
    );
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: {
          // One byte past the limit, so that passing it is seen (busboy stops a file at fileSize).
          fileSize: limits.maxBytes + 1,
          files: limits.maxFiles,
          fields: 10,
          fieldSize: 1024,
          parts: limits.maxFiles + 10,
        },
      });
    } catch {
      return reject(AppError.invalid('files', 'must be sent as a file upload (multipart/form-data)'));
    }
    const fields: Record<string, string> = {};
    const files: UploadedFile[] = [];
    let total = 0;
    let failed = false;
    const fail = (err: AppError) => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      req.resume();
      reject(err);
    };
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (_field, stream, info) => {
      const name = (info.filename ?? '').split(/[\\/]/).at(-1) ?? '';
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      const own = isZip(name) ? limits.maxBytes : limits.maxFileBytes;
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        size += chunk.length;
        if (total > limits.maxBytes)
          return fail(
            refused(`an import may send at most ${mib(limits.maxBytes)}; send fewer files at a time`),
          );
        if (size > own) tooLarge = true;
        if (!tooLarge) chunks.push(chunk);
      });
      stream.on('end', () => {
        // A file input left empty still sends a part without a name.
        if (name === '' && size === 0) return;
        files.push({
          name: name || 'unnamed',
          data: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks),
          tooLarge,
        });
      });
    });
    bb.on('filesLimit', () => fail(refused(`an import takes at most ${limits.maxFiles} files`)));
    bb.on('partsLimit', () => fail(refused(`an import takes at most ${limits.maxFiles} files`)));
    bb.on('error', () => fail(AppError.invalid('files', 'the upload was cut off or malformed; try again')));
    // A client that goes away mid-upload: nothing more will come.
    req.on('close', () => {
      if (!req.complete) fail(AppError.invalid('files', 'the upload was cut off; try again'));
    });
    bb.on('close', () => {
      if (!failed) resolve({ fields, files });
    });
    req.pipe(bb);
  });
}
