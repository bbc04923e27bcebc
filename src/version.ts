// Kept in step with package.json (a unit test checks).
export const VMTUI_VERSION = '0.1.0';
export const CLIENT_NAME = 'vmtui';
