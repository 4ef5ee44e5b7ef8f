import { app, session as electronSession, type Session } from 'electron';
import { guardNavigation } from '../window.ts';
import { isPermissionGranted } from './permissions.ts';

/**
 * The renderer gets no browser permissions but one: camera, microphone, geolocation, notifications
 * (ours are native, from main), clipboard reads, MIDI, HID, USB, serial, display capture… are all
 * refused, whether requested or merely checked. The exception is a plain-text clipboard write from
 * our own page (see permissions.ts).
 */
export function denyAllPermissions(session: Session = electronSession.defaultSession): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) =>
    callback(isPermissionGranted(permission, details?.requestingUrl)),
  );
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) =>
    isPermissionGranted(permission, requestingOrigin),
  );
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null));
}

/** Defence in depth: whatever web contents appear (a future window, a devtools-opened page), the same navigation rules apply. */
export function guardAllWebContents(allowedLinkHosts: () => readonly string[], log: (message: string) => void): void {
  app.on('web-contents-created', (_event, contents) => {
    if (contents.getType() === 'window' || contents.getType() === 'webview' || contents.getType() === 'browserView')
      guardNavigation(contents, allowedLinkHosts, log);
  });
}
