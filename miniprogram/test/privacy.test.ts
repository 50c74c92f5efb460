/**
 * @jest-environment jsdom
 */
// The privacy authorization (隐私保护指引): WeChat holds a privacy API until the prompt on the
// current page is answered; 同意 and 拒绝 resolve the held call; a refusal is told apart from a
// refused permission and from the phone's location being off.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import simulate from 'miniprogram-simulate';
import { locationError } from '../src/subpackages/event/utils/assignments';
import { agreePrivacy, attachPrompt, installPrivacyHandler, isPrivacyRefusal, refusePrivacy, resetPrivacy } from '../src/utils/privacy';
import { installFakeWx, type FakeWx } from './helpers/fake-wx';

let wxFake: FakeWx;
let promptId: string;

beforeAll(() => {
  promptId = simulate.load(`${__dirname}/../src/components/privacy-prompt/index`, 'privacy-prompt', { compiler: 'simulate' });
});

beforeEach(() => {
  wxFake = installFakeWx();
  resetPrivacy();
  installPrivacyHandler();
});

describe('the held call', () => {
  it('is shown by the current page prompt and resolved with agree and the button id', () => {
    const shown: string[] = [];
    attachPrompt((api) => shown.push(`first ${api}`));
    attachPrompt((api) => shown.push(`current ${api}`));

    wxFake.needPrivacy('getLocation');
    expect(shown).toEqual(['current getLocation']);
    expect(wxFake.privacyResolutions).toEqual([]);

    agreePrivacy('privacy-agree');
    expect(wxFake.privacyResolutions).toEqual([{ event: 'agree', buttonId: 'privacy-agree' }]);
  });

  it('is refused with 拒绝, and refused at once when the page has no prompt (never left waiting)', () => {
    const detach = attachPrompt(() => undefined);
    wxFake.needPrivacy('chooseMedia');
    refusePrivacy();
    expect(wxFake.privacyResolutions).toEqual([{ event: 'disagree' }]);

    detach();
    wxFake.needPrivacy('getPhoneNumber');
    expect(wxFake.privacyResolutions).toEqual([{ event: 'disagree' }, { event: 'disagree' }]);
  });
});

describe('privacy-prompt component', () => {
  function render() {
    const comp = simulate.render(promptId, {});
    comp.attach(document.createElement('parent-wrapper'));
    return comp;
  }

  it('stays hidden until WeChat asks, then says what for and links the guide', async () => {
    const comp = render();
    expect(comp.querySelector('.sheet')).toBeUndefined();

    wxFake.needPrivacy('getLocation');
    await simulate.sleep(0);
    expect(comp.querySelector('.text')?.dom?.textContent).toContain('获取您的位置（暗访签到）');

    comp.querySelector('.link')!.dispatchEvent('tap');
    await simulate.sleep(0);
    expect(wxFake.privacyContractsOpened).toBe(1);
  });

  it('同意 resolves the held call with agree and its button id, and hides', async () => {
    const comp = render();
    wxFake.needPrivacy('chooseMedia');
    await simulate.sleep(0);

    const agree = comp.querySelector('.button--agree')!;
    // simulate does not draw `id` into the DOM; the WXML binds it to `agreeId`, the id sent back.
    expect(comp.data.agreeId).toBe('privacy-agree');
    // The event WeChat fires on an `open-type="agreePrivacyAuthorization"` button once tapped.
    agree.dispatchEvent('agreeprivacyauthorization');
    await simulate.sleep(0);

    expect(wxFake.privacyResolutions).toEqual([{ event: 'agree', buttonId: 'privacy-agree' }]);
    expect(comp.querySelector('.sheet')).toBeUndefined();
  });

  it('拒绝 resolves it with disagree', async () => {
    const comp = render();
    wxFake.needPrivacy('setClipboardData');
    await simulate.sleep(0);
    comp.querySelector('.button--refuse')!.dispatchEvent('tap');
    await simulate.sleep(0);
    expect(wxFake.privacyResolutions).toEqual([{ event: 'disagree' }]);
  });

  it('leaves the list of prompts when its page goes', () => {
    const comp = render();
    comp.detach();
    wxFake.needPrivacy('getLocation');
    // No prompt left: refused at once rather than waiting for a page that is gone.
    expect(wxFake.privacyResolutions).toEqual([{ event: 'disagree' }]);
  });
});

describe('a refused privacy authorization is not a refused permission', () => {
  it('tells the three apart', () => {
    expect(locationError('getLocation:fail privacy permission is not authorized', 104).problem).toBe('privacy');
    expect(locationError('getLocation:fail api scope is not declared in the privacy agreement', 112).problem).toBe('privacy');
    expect(locationError('getLocation:fail auth deny').problem).toBe('denied');
    expect(locationError('getLocation:fail system permission denied').problem).toBe('disabled');
    expect(locationError('getLocation:fail:ERROR_NOCELL&WIFI_LOCATIONSWITCHOFF').problem).toBe('disabled');
    expect(locationError('getLocation:fail timeout').problem).toBe('failed');
  });

  it('says what to do about a privacy refusal, not to switch on location services', () => {
    const e = locationError('getLocation:fail privacy permission is not authorized', 104);
    expect(e.message).toContain('隐私保护指引');
    expect(e.message).not.toContain('定位服务');
    expect(isPrivacyRefusal('chooseMedia:fail privacy permission is not authorized')).toBe(true);
    expect(isPrivacyRefusal('chooseMedia:fail cancel')).toBe(false);
  });
});
