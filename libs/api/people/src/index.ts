export { PeopleModule } from './people.module.js';
export { PeopleService } from './people.service.js';
export type { TenantPeople } from './platform-people.repository.js';
export type { Membership, StoredInvitation, User } from './people.types.js';
// The import tool's engine runs outside Nest, on the platform role's connection.
export { type ArchivedUser, importArchivedUser } from './imported-users.repository.js';
