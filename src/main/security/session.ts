import { app, session as electronSession, type Session } from 'electron';
import { guardNavigation } from '../window.ts';

/**
 * The renderer gets no browser permissions at all: camera, microphone, geolocation, notifications
 * (ours are native, from main), clipboard reads, MIDI, HID, USB, serial, display capture… are all
 * refused, whether requested or merely checked.
 */
export function denyAllPermissions(session: Session = electronSession.defaultSession): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null));
}

/** Defence in depth: whatever web contents appear (a future window, a devtools-opened page), the same navigation rules apply. */
export function guardAllWebContents(allowedLinkHosts: () => readonly string[], log: (message: string) => void): void {
  app.on('web-contents-created', (_event, contents) => {
    if (contents.getType() === 'window' || contents.getType() === 'webview' || contents.getType() === 'browserView') guardNavigation(contents, allowedLinkHosts, log);
  });
}
