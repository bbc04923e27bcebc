// Every method of protocol v1, collected from the declarations in the area files (nothing is
// restated here): the client registers its notification handlers from this list and the fixture
// tests check every method against it.
import { isMethodDecl, type MethodDecl, type NotificationDecl } from './declare.js';
import * as protocol from './protocol.js';

export const allMethods: readonly MethodDecl[] = (Object.values(protocol) as unknown[]).filter(isMethodDecl);

/** By method name. */
export const allMethodCodecs: Readonly<Record<string, MethodDecl>> = Object.fromEntries(allMethods.map((decl) => [decl.method, decl]));

export const allNotifications: readonly NotificationDecl<unknown>[] = allMethods.filter(
  (decl): decl is NotificationDecl<unknown> => decl.kind === 'notification',
);
