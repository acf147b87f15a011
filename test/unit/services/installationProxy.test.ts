import assert from 'node:assert/strict';
import { isProtocolError, isServiceStartError } from '../../../src/common/errors';
import { InstallationProxyService } from '../../../src/services/installationProxy';
import { loopbackServiceProvider } from '../../fakes/loopbackServiceProvider';

describe('installation_proxy client', () => {
  it('sends Browse with the options and collects every page until Complete', async () => {
    let request: unknown;
    const provider = await loopbackServiceProvider({
      'com.apple.mobile.installation_proxy': async (d) => {
        request = await d.receivePlist(5000);
        d.sendPlist({ Status: 'BrowsingApplications', CurrentList: [{ CFBundleIdentifier: 'a' }, 'junk'], CurrentIndex: 0, CurrentAmount: 2, Total: 3 });
        d.sendPlist({ Status: 'BrowsingApplications', CurrentList: [{ CFBundleIdentifier: 'b' }], CurrentIndex: 2, CurrentAmount: 1, Total: 3 });
        d.sendPlist({ Status: 'Complete' });
      },
    });
    try {
      const apps = await new InstallationProxyService(provider).browse({ applicationType: 'User', returnAttributes: ['CFBundleIdentifier'] });
      assert.deepEqual(apps, [{ CFBundleIdentifier: 'a' }, { CFBundleIdentifier: 'b' }]);
      assert.deepEqual(request, { Command: 'Browse', ClientOptions: { ApplicationType: 'User', ReturnAttributes: ['CFBundleIdentifier'] } });
    } finally {
      await provider.close();
    }
  });

  it('reports an Error answer and a non-dictionary answer clearly', async () => {
    const provider = await loopbackServiceProvider({
      'com.apple.mobile.installation_proxy': async (d) => {
        await d.receivePlist(5000);
        d.sendPlist({ Error: 'APIInternalError', ErrorDescription: 'boom' });
      },
    });
    await assert.rejects(new InstallationProxyService(provider).browse(), (e) => isServiceStartError(e) && /could not list its apps: APIInternalError \(boom\)/.test(e.message));
    await provider.close();
    const junk = await loopbackServiceProvider({
      'com.apple.mobile.installation_proxy': async (d) => {
        await d.receivePlist(5000);
        d.sendPlist(['x']);
      },
    });
    await assert.rejects(new InstallationProxyService(junk).browse(), (e) => isProtocolError(e) && /other than a dictionary/.test(e.message));
    await junk.close();
  });
});
