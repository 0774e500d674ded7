export { AuthModule } from './auth.module.js';
export { AuthService } from './auth.service.js';
export { PasswordHasher } from './password-hasher.js';
