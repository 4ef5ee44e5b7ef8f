/**
 * Sends browser files to the app in chunks (the web preview's requests are limited to 5 MB, the
 * import to 50 MB per file), then asks it to import them together as one job.
 */
import type { RecordKind } from '../../../shared/dto/core.ts';
import type { ImportResult } from '../../../shared/dto/sync.ts';
import { api } from '../../api/client.ts';

export interface UploadProgress {
  file: string;
  sentBytes: number;
  totalBytes: number;
}

function toBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(blob);
  });
}

export async function uploadAndImport(
  files: readonly File[],
  kind: RecordKind | null,
  maxBytes: number,
  onProgress: (p: UploadProgress) => void,
): Promise<ImportResult> {
  const tooBig = files.find((file) => file.size > maxBytes);
  if (tooBig) {
    throw new Error(
      `${tooBig.name} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB; import it with the desktop app's file picker or the foresight import command.`,
    );
  }
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  let sentBytes = 0;
  const ids: string[] = [];
  try {
    for (const file of files) {
      const { uploadId, chunkBytes } = await api.call('sync.upload.begin', { fileName: file.name, size: file.size });
      ids.push(uploadId);
      for (let offset = 0, index = 0; offset < file.size; offset += chunkBytes, index++) {
        const data = await toBase64(file.slice(offset, offset + chunkBytes));
        await api.call('sync.upload.chunk', { uploadId, index, data });
        sentBytes += Math.min(chunkBytes, file.size - offset);
        onProgress({ file: file.name, sentBytes, totalBytes });
      }
    }
    return await api.call('sync.upload.finish', { uploadIds: ids, ...(kind ? { kind } : {}) });
  } catch (error) {
    for (const uploadId of ids) void api.result('sync.upload.cancel', { uploadId });
    throw error;
  }
}

/** Offers text as a file download in the browser. */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
