export * from './api.js';
export * from './color.js';
export * from './errors.js';
export * from './roles.js';
export * from './requests.js';
