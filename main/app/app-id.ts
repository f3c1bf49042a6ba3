/**
 * The application id: electron-builder's `appId` (bundle id on macOS, AppUserModelID on
 * Windows). Windows shows no notifications from a process whose AppUserModelID does not match
 * the installed shortcut's, so main.ts sets it; a test keeps it equal to electron-builder.yml.
 */
export const APP_ID = 'dev.mtls-tray.app';
