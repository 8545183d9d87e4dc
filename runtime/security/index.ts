export { createRestSecurity, type RestSecurityWiring } from './create-rest-security.js';
export { RestSecurity, type AuditEntry } from './rest-security.js';
export type { Principal, PrincipalView, Role } from './principal.js';
export { principalView, type RouteAccess } from './route-access.js';
export { isForwardedRequest } from './forwarded-request-signature.js';
export { runAsPrincipal } from './request-context.js';
export { restServerTls, peerClientTls, type RestServerTls, type PeerClientTls } from './rest-tls.js';
export { hashPassword } from './password-hash.js';
export { hashToken, newToken } from './token-authenticator.js';
