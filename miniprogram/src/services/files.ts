// Uploads (images and PDF) and reading them back; both need the bearer token, so both go
// through the request module (`wx.uploadFile`, `wx.downloadFile`).
import type { UploadedFile } from '../types/api';
import { newIdempotencyKey } from '../utils/idempotency';
import { download, upload } from '../utils/request';

/** `POST /files` (multipart field `file`) → 201 with the new file's id. */
export function uploadFile(filePath: string, idempotencyKey: string = newIdempotencyKey()): Promise<UploadedFile> {
  return upload<UploadedFile>({ path: '/files', filePath, name: 'file', idempotencyKey });
}

/** `GET /files/{id}`: the bytes, saved to a temporary local path that is returned. */
export function downloadFile(id: string): Promise<string> {
  return download(`/files/${encodeURIComponent(id)}`);
}
