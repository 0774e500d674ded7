export { AuthModule } from './auth.module.js';
export { AuthService } from './auth.service.js';
export type { AuthUser } from './auth-user.js';
export { CurrentUser } from './current-user.decorator.js';
export { PasswordHasher } from './password-hasher.js';
