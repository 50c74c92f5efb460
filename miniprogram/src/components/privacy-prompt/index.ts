// The privacy prompt of a page: hidden until WeChat asks for the privacy authorization (see
// `utils/privacy.ts`), then a sheet saying what is asked and why, a link to 《隐私保护指引》,
// 拒绝 and 同意 (a native button with `open-type="agreePrivacyAuthorization"`, as WeChat requires).
import { agreePrivacy, attachPrompt, openPrivacyContract, privacyPurpose, refusePrivacy } from '../../utils/privacy';

// Each prompt's way out of the list of prompts, kept apart from the component's data.
const detachers = new WeakMap<object, () => void>();

/** The id of the agree button: WeChat wants it back with `agree`. */
export const AGREE_BUTTON_ID = 'privacy-agree';

Component({
  data: {
    visible: false,
    purpose: '',
    agreeId: AGREE_BUTTON_ID,
  },
  lifetimes: {
    attached() {
      detachers.set(this, attachPrompt((api) => this.setData({ visible: true, purpose: privacyPurpose(api) })));
    },
    detached() {
      detachers.get(this)?.();
      detachers.delete(this);
    },
  },
  methods: {
    onOpenContract() {
      openPrivacyContract();
    },
    onAgree() {
      this.setData({ visible: false });
      agreePrivacy(AGREE_BUTTON_ID);
    },
    onRefuse() {
      this.setData({ visible: false });
      refusePrivacy();
    },
    // The sheet is modal: the page under it does not scroll.
    onMaskMove() {},
  },
});
