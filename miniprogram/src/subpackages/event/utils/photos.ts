// Photo answers of forms drawn by the form renderer (checklists, scorecards, the complaint post,
// the activity record). The renderer emits `addphoto`; the page calls `addPhotos`, which picks
// (`wx.chooseMedia`), uploads each photo (`POST /files`) and returns the new answers
// (`{fileId, capturedAt}` per photo) and local paths to hand back through `value` and
// `photoUrls`. The helpers above `addPhotos` are pure.
import { uploadFile } from '../../../services/files';
import type { FormTemplate, PhotoAnswer } from '../../../types/api';
import { errorMessage } from '../../../utils/api-error';
import { PHOTO_MAX_DEFAULT, questionsOf, type DraftAnswers } from '../../../utils/form';

/** The photos of an answer that are in the shape the server takes; others are dropped. */
export function photosOf(answer: unknown): PhotoAnswer[] {
  if (!Array.isArray(answer)) return [];
  return answer
    .filter((p): p is PhotoAnswer => typeof p === 'object' && p !== null && typeof (p as PhotoAnswer).fileId === 'string')
    .map((p) => (typeof p.capturedAt === 'string' ? { fileId: p.fileId, capturedAt: p.capturedAt } : { fileId: p.fileId }));
}

/** The file ids of a photo answer, in order (what `photos: string[]` bodies carry). */
export function photoFileIds(answer: unknown): string[] {
  return photosOf(answer).map((p) => p.fileId);
}

/** Photo answers of uploaded files, all taken at `capturedAt` (RFC 3339). */
export function photoAnswers(fileIds: readonly string[], capturedAt: string): PhotoAnswer[] {
  return fileIds.map((fileId) => ({ fileId, capturedAt }));
}

/** The answers with `added` after the photos `questionId` already has (a copy; the rest kept). */
export function addPhotoAnswers(answers: DraftAnswers, questionId: string, added: readonly PhotoAnswer[]): DraftAnswers {
  return { ...answers, [questionId]: [...photosOf(answers[questionId]), ...added.map((p) => ({ ...p }))] };
}

/** How many more photos a photo question takes (its `maxCount`, 9 by default); 0 for others. */
export function photoRoom(template: FormTemplate | null | undefined, questionId: string, answers: DraftAnswers): number {
  const q = questionsOf(template).find((x) => x.id === questionId);
  if (!q || q.type !== 'photo') return 0;
  return Math.max(0, (q.maxCount ?? PHOTO_MAX_DEFAULT) - photosOf(answers[questionId]).length);
}

/** Whether the question wants photos with a capture time (then only the camera is offered). */
export function wantsCaptureTime(template: FormTemplate | null | undefined, questionId: string): boolean {
  return questionsOf(template).some((q) => q.id === questionId && q.requireCaptureTime === true);
}

/** Local paths of up to `count` pictures the person picks; [] when they cancel. */
export function chooseImages(count: number, cameraOnly: boolean): Promise<string[]> {
  return new Promise((resolve, reject) => {
    wx.chooseMedia({
      count,
      mediaType: ['image'],
      sourceType: cameraOnly ? ['camera'] : ['album', 'camera'],
      sizeType: ['compressed'],
      success(res) {
        resolve(res.tempFiles.map((f) => f.tempFilePath).slice(0, count));
      },
      fail(err) {
        if (/cancel/i.test(err.errMsg)) resolve([]);
        else reject(new Error('无法选择图片，请检查相机和相册权限'));
      },
    });
  });
}

export interface AddedPhotos {
  /** The page's answers with the new photos after the question's own. */
  answers: DraftAnswers;
  /** Local paths by new file id, for `photoUrls`. */
  urls: Record<string, string>;
  /** Photos that could not be uploaded (a toast said so). */
  failed: number;
}

/**
 * The whole `addphoto` flow: picks as many pictures as the question still takes, uploads each,
 * and returns the answers with the uploaded ones (captured now). `latest` gives the page's
 * answers as they are at the start and again at the end, so nothing typed meanwhile is lost.
 * Null when nothing was added.
 */
export async function addPhotos(
  template: FormTemplate | null | undefined,
  latest: () => DraftAnswers,
  questionId: string,
  now: () => Date = () => new Date(),
): Promise<AddedPhotos | null> {
  const room = photoRoom(template, questionId, latest());
  if (room === 0) return null;
  let paths: string[];
  try {
    paths = await chooseImages(room, wantsCaptureTime(template, questionId));
  } catch (err) {
    wx.showToast({ title: err instanceof Error ? err.message : '无法选择图片', icon: 'none' });
    return null;
  }
  if (paths.length === 0) return null;
  const capturedAt = now().toISOString();
  wx.showLoading({ title: '上传中…', mask: true });
  const results = await Promise.all(
    paths.map((path) =>
      uploadFile(path).then(
        (file) => ({ path, fileId: file.id, error: null as unknown }),
        (error: unknown) => ({ path, fileId: '', error }),
      ),
    ),
  );
  wx.hideLoading();
  const uploaded = results.filter((r) => r.fileId !== '');
  const failed = results.length - uploaded.length;
  const firstError = results.find((r) => r.fileId === '')?.error;
  if (failed > 0) wx.showToast({ title: `${failed} 张图片上传失败：${errorMessage(firstError)}`, icon: 'none' });
  if (uploaded.length === 0) return null;
  return {
    answers: addPhotoAnswers(latest(), questionId, photoAnswers(uploaded.map((u) => u.fileId), capturedAt)),
    urls: Object.fromEntries(uploaded.map((u) => [u.fileId, u.path])),
    failed,
  };
}
