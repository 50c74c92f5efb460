// Photo answers of rendered forms (utils/photos.ts): the pure helpers, and the whole `addphoto`
// flow against the fake `wx` (wx.chooseMedia, then each photo uploaded through the real service).
import { beforeEach, describe, expect, it } from '@jest/globals';

import type { FormTemplate } from '../src/types/api';
import { validateAnswers } from '../src/utils/form';
import { addPhotoAnswers, addPhotos, photoAnswers, photoFileIds, photoRoom, photosOf, wantsCaptureTime } from '../src/subpackages/event/utils/photos';
import * as session from '../src/utils/session';
import { errorReply, formTemplateFixture, installFakeWx, userFixture, type FakeWx } from './helpers/fake-wx';

const NOW = new Date('2026-11-28T02:00:00.000Z');

describe('photo answers', () => {
  it('are {fileId, capturedAt} per uploaded file, which the form engine accepts where a capture time is required', () => {
    const answers = photoAnswers(['11', '12'], NOW.toISOString());
    expect(answers).toEqual([
      { fileId: '11', capturedAt: '2026-11-28T02:00:00.000Z' },
      { fileId: '12', capturedAt: '2026-11-28T02:00:00.000Z' },
    ]);
    const template = formTemplateFixture();
    const check = validateAnswers(template, { queue: true, attitude: 4, wait: 5, photos: answers });
    expect(check.errors).toEqual([]);
    expect(check.answers.photos).toEqual(answers);
  });

  it('are added after those already there, the other answers kept', () => {
    const before = { queue: true, photos: [{ fileId: '11', capturedAt: '2026-11-28T01:00:00Z' }] };
    const after = addPhotoAnswers(before, 'photos', [{ fileId: '12', capturedAt: '2026-11-28T02:00:00Z' }]);
    expect(after).toEqual({
      queue: true,
      photos: [
        { fileId: '11', capturedAt: '2026-11-28T01:00:00Z' },
        { fileId: '12', capturedAt: '2026-11-28T02:00:00Z' },
      ],
    });
    // The page's answers are not changed in place.
    expect(before.photos).toHaveLength(1);
    expect(addPhotoAnswers({}, 'site', [{ fileId: '1', capturedAt: 'x' }])).toEqual({ site: [{ fileId: '1', capturedAt: 'x' }] });
  });

  it('read back as file ids, dropping what is not a photo', () => {
    expect(photosOf([{ fileId: '1' }, 'x', null, { fileId: 2 }, { fileId: '3', capturedAt: null }])).toEqual([{ fileId: '1' }, { fileId: '3' }]);
    expect(photoFileIds([{ fileId: '1', capturedAt: 'a' }, { fileId: '2' }])).toEqual(['1', '2']);
    expect(photoFileIds(undefined)).toEqual([]);
  });

  it('have room up to the question\'s maxCount (9 by default), none for other questions', () => {
    const template = formTemplateFixture(); // `photos`: maxCount 2, capture time required
    expect(photoRoom(template, 'photos', {})).toBe(2);
    expect(photoRoom(template, 'photos', { photos: [{ fileId: '1' }] })).toBe(1);
    expect(photoRoom(template, 'photos', { photos: [{ fileId: '1' }, { fileId: '2' }, { fileId: '3' }] })).toBe(0);
    expect(photoRoom(template, 'queue', {})).toBe(0);
    expect(photoRoom(template, 'nope', {})).toBe(0);
    const plain: FormTemplate = { sections: [{ id: 's', title: 's', questions: [{ id: 'p', type: 'photo', title: 'p', required: false }] }] };
    expect(photoRoom(plain, 'p', {})).toBe(9);
    expect(wantsCaptureTime(template, 'photos')).toBe(true);
    expect(wantsCaptureTime(plain, 'p')).toBe(false);
  });
});

describe('addPhotos', () => {
  let wxFake: FakeWx;

  beforeEach(() => {
    wxFake = installFakeWx();
    session.saveTokens({ accessToken: 'access-a', refreshToken: 'refresh-a', expiresIn: 900, user: userFixture() });
    let n = 10;
    wxFake.on('POST /files', (req) => {
      if (req.filePath?.includes('broken')) return errorReply(422, 'unsupported_type', '仅支持图片或 PDF');
      n += 1;
      return { statusCode: 201, data: { id: String(n), contentType: 'image/jpeg', size: 100, createdAt: '2026-11-28T10:00:00+08:00' } };
    });
  });

  it('picks as many as the question takes (camera only when a capture time is required), uploads each, and answers with them', async () => {
    wxFake.mediaAnswers = [['wxfile://tmp/a.jpg']];
    const answers = { queue: true, photos: [{ fileId: '9', capturedAt: '2026-11-28T01:00:00.000Z' }] };

    const added = await addPhotos(formTemplateFixture(), () => answers, 'photos', () => NOW);

    expect(wxFake.mediaRequests).toEqual([{ count: 1, sourceType: ['camera'] }]);
    const upload = wxFake.calls('POST /files');
    expect(upload.map((r) => [r.via, r.filePath, r.name])).toEqual([['uploadFile', 'wxfile://tmp/a.jpg', 'file']]);
    expect(upload[0]!.header['Idempotency-Key']).toBeTruthy();
    expect(added).toEqual({
      answers: {
        queue: true,
        photos: [
          { fileId: '9', capturedAt: '2026-11-28T01:00:00.000Z' },
          { fileId: '11', capturedAt: '2026-11-28T02:00:00.000Z' },
        ],
      },
      urls: { '11': 'wxfile://tmp/a.jpg' },
      failed: 0,
    });
    expect(wxFake.loadings).toEqual(['上传中…']);
    expect(wxFake.loadingShown).toBe(0);
  });

  it('adds to the answers as they are once the upload is done, keeping what was typed meanwhile', async () => {
    wxFake.mediaAnswers = [['wxfile://tmp/a.jpg']];
    let answers: Record<string, unknown> = { wait: 5 };
    wxFake.on('POST /files', () => {
      answers = { ...answers, wait: 12 }; // typed while the photo was uploading
      return { statusCode: 201, data: { id: '21', contentType: 'image/jpeg', size: 1, createdAt: '2026-11-28T10:00:00+08:00' } };
    });

    const added = await addPhotos(formTemplateFixture(), () => answers, 'photos', () => NOW);

    expect(added?.answers).toEqual({ wait: 12, photos: [{ fileId: '21', capturedAt: '2026-11-28T02:00:00.000Z' }] });
  });

  it('offers the album too where no capture time is required', async () => {
    const template: FormTemplate = { sections: [{ id: 's', title: 's', questions: [{ id: 'p', type: 'photo', title: 'p', required: false, maxCount: 3 }] }] };
    wxFake.mediaAnswers = [['wxfile://tmp/a.jpg', 'wxfile://tmp/b.jpg']];

    const added = await addPhotos(template, () => ({}), 'p', () => NOW);

    expect(wxFake.mediaRequests).toEqual([{ count: 3, sourceType: ['album', 'camera'] }]);
    expect(added?.answers).toEqual({
      p: [
        { fileId: '11', capturedAt: '2026-11-28T02:00:00.000Z' },
        { fileId: '12', capturedAt: '2026-11-28T02:00:00.000Z' },
      ],
    });
  });

  it('keeps the photos that uploaded and says how many did not', async () => {
    wxFake.mediaAnswers = [['wxfile://tmp/a.jpg', 'wxfile://tmp/broken.jpg']];

    const added = await addPhotos(formTemplateFixture(), () => ({}), 'photos', () => NOW);

    expect(added?.answers).toEqual({ photos: [{ fileId: '11', capturedAt: '2026-11-28T02:00:00.000Z' }] });
    expect(added?.failed).toBe(1);
    expect(wxFake.toasts).toEqual(['1 张图片上传失败：仅支持图片或 PDF']);
  });

  it('adds nothing when the person cancels, or when the question is full', async () => {
    wxFake.mediaAnswers = [{ errMsg: 'chooseMedia:fail cancel' }];
    expect(await addPhotos(formTemplateFixture(), () => ({}), 'photos')).toBeNull();
    expect(await addPhotos(formTemplateFixture(), () => ({ photos: [{ fileId: '1' }, { fileId: '2' }] }), 'photos')).toBeNull();
    expect(wxFake.mediaRequests).toHaveLength(1);
    expect(wxFake.sent).toHaveLength(0);
    expect(wxFake.toasts).toEqual([]);
  });

  it('says so when pictures cannot be picked at all', async () => {
    wxFake.mediaAnswers = [{ errMsg: 'chooseMedia:fail auth deny' }];
    expect(await addPhotos(formTemplateFixture(), () => ({}), 'photos')).toBeNull();
    expect(wxFake.toasts).toEqual(['无法选择图片，请检查相机和相册权限']);
  });
});
